//! The pool of Python worker threads.
//!
//! Why this shape (FINDINGS.md, measured): creating a Python thread state per request costs
//! ~10 µs and GIL ping-pong between many threads another ~10 µs, so each worker attaches to the
//! interpreter once for its whole life, waits for work with the GIL released (`detach`, thread
//! state kept), and once it holds the GIL drains whatever else is queued before letting go.
//! The pool size is the concurrency for blocking views, like gunicorn's `--threads`.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::thread::JoinHandle;

use bytes::Bytes;
use crossbeam_channel::{Receiver, Sender};
use pyo3::prelude::*;
use tokio::sync::oneshot;

use super::request::RawRequest;

/// Jobs that need the GIL.
pub enum Job {
    /// Dispatch one request through the Python handler.
    Request(Box<RawRequest>),
    /// Pull the next chunk of a streamed response body (`None` at the end).
    Next {
        iter: Arc<Py<PyAny>>,
        reply: oneshot::Sender<Option<Result<Bytes, String>>>,
    },
    /// The client went away: close a streamed body's iterator (runs generator `finally`s).
    Close { iter: Arc<Py<PyAny>> },
}

/// What a worker does with a job (implemented by the server).
pub trait JobRunner: Send + Sync + 'static {
    fn run(&self, py: Python<'_>, job: Job);
}

/// Most jobs drained per GIL hold, so one busy worker cannot starve the others' queue forever.
const BATCH: usize = 64;

pub struct Pool {
    tx: Option<Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

impl Pool {
    pub fn start(size: usize, runner: Arc<dyn JobRunner>) -> Pool {
        let (tx, rx) = crossbeam_channel::unbounded::<Job>();
        let threads = (0..size.max(1))
            .map(|i| {
                let rx = rx.clone();
                let runner = runner.clone();
                std::thread::Builder::new()
                    .name(format!("bustapi-py-{i}"))
                    .spawn(move || worker(rx, runner))
                    .expect("spawn Python worker thread")
            })
            .collect();
        Pool {
            tx: Some(tx),
            threads,
        }
    }

    pub fn sender(&self) -> Sender<Job> {
        self.tx.clone().expect("pool is running")
    }

    /// Stop the workers once the queue is empty and wait for them. Call with the GIL released.
    pub fn stop(mut self) {
        self.tx.take();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn worker(rx: Receiver<Job>, runner: Arc<dyn JobRunner>) {
    Python::attach(|py| loop {
        let Ok(first) = py.detach(|| rx.recv()) else {
            return;
        };
        run_guarded(py, &*runner, first);
        for _ in 0..BATCH {
            match rx.try_recv() {
                Ok(job) => run_guarded(py, &*runner, job),
                Err(_) => break,
            }
        }
    })
}

/// A panic while handling one job must not take the worker (or the server) down: the job's
/// reply channel is dropped, which the request side turns into a 500.
fn run_guarded(py: Python<'_>, runner: &dyn JobRunner, job: Job) {
    if let Err(panic) = std::panic::catch_unwind(AssertUnwindSafe(|| runner.run(py, job))) {
        let msg = super::server::panic_message(&*panic);
        super::log::error(py, &format!("panic in a Python worker: {msg}"));
    }
}
