//! The pool of Python worker threads.
//!
//! Why this shape (FINDINGS.md, measured): creating a Python thread state per request costs
//! ~10 µs and GIL ping-pong between many threads another ~10 µs, so each worker attaches to the
//! interpreter once for its whole life, waits for work with the GIL released (`detach`, thread
//! state kept), and once it holds the GIL drains whatever else is queued before letting go.
//! The pool size is the concurrency for blocking views, like gunicorn's `--threads`.
//!
//! Who is woken for a job: a job queued while no worker is running Python wakes a sleeping
//! worker. A job queued while a worker is running gets no worker of its own: the running one
//! takes it after its current job, with the GIL it already holds. Handing each job to a fresh
//! thread instead made every request of a long view (a 400 µs template render) cost a thread
//! wake-up, a block on the GIL and a GIL hand-off (~100 µs of CPU per request with 8 threads).
//! A view that blocks must still not stall the queue, so while jobs wait behind running
//! workers one sleeping worker is the *watcher*: it waits for the GIL itself, and once it gets
//! it — the running view released it to block, or Python's switch interval took it from a view
//! that has been running that long — it takes a queued job and hands the watch to another
//! sleeper. Blocking views thus still run as concurrently as the pool allows, and long CPU-bound
//! ones still share the GIL as they did when each had its own thread. When the switch interval
//! took the GIL from a worker that kept finishing jobs, the watcher gives it back and waits one
//! interval before watching again: another job in flight would only interleave with the others.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use bytes::Bytes;
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

#[derive(Default)]
struct State {
    queue: VecDeque<Job>,
    /// Workers between taking a job and the end of their drain (they will look at the queue
    /// again before sleeping).
    running: usize,
    /// Workers waiting on the condition variable.
    sleeping: usize,
    /// A worker left the condition variable to wait for the GIL on the queue's behalf.
    watcher: bool,
    /// Jobs taken so far: whether the running workers made progress.
    taken: u64,
    closed: bool,
}

impl State {
    fn pop(&mut self) -> Option<Job> {
        let job = self.queue.pop_front()?;
        self.taken += 1;
        Some(job)
    }
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic never happens while the lock is held (only queue and counter updates).
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What a worker does next, decided with the GIL released.
enum Next {
    Run(Job),
    /// Wait for the GIL, then take a queued job if there still is one.
    Watch {
        since: Instant,
        taken: u64,
    },
    Stop,
}

/// The sending side, held by the HTTP service (cloned freely).
#[derive(Clone)]
pub struct Jobs(Arc<Shared>);

impl Jobs {
    /// Queue a job; gives it back when the pool has stopped.
    pub fn send(&self, job: Job) -> Result<(), Job> {
        let mut st = self.0.lock();
        if st.closed {
            return Err(job);
        }
        st.queue.push_back(job);
        // A running worker will reach the job; it needs a sleeper only when nobody runs, or
        // when no watcher stands by in case the running views block.
        let wake = st.sleeping > 0 && (st.running == 0 || !st.watcher);
        drop(st);
        if wake {
            self.0.wake.notify_one();
        }
        Ok(())
    }
}

pub struct Pool {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl Pool {
    /// `batch`: run the workers in `SCHED_BATCH` (see `server::sched`).
    pub fn start(size: usize, runner: Arc<dyn JobRunner>, batch: bool) -> Pool {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
        });
        let threads = (0..size.max(1))
            .map(|i| {
                let shared = shared.clone();
                let runner = runner.clone();
                std::thread::Builder::new()
                    .name(format!("bustapi-py-{i}"))
                    .spawn(move || {
                        if batch {
                            crate::server::sched::batch_current_thread();
                        }
                        worker(&shared, &*runner)
                    })
                    .expect("spawn Python worker thread")
            })
            .collect();
        Pool { shared, threads }
    }

    pub fn sender(&self) -> Jobs {
        Jobs(self.shared.clone())
    }

    /// Stop the workers once the queue is empty and wait for them. Call with the GIL released.
    pub fn stop(mut self) {
        self.shared.lock().closed = true;
        self.shared.wake.notify_all();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn worker(shared: &Shared, runner: &dyn JobRunner) {
    Python::attach(|py| {
        let interval = switch_interval(py);
        let mut ran = false;
        let mut nap = None;
        loop {
            let next = py.detach(|| next(shared, std::mem::take(&mut ran), nap.take()));
            let first = match next {
                Next::Run(job) => job,
                Next::Stop => return,
                // The GIL is ours again.
                Next::Watch { since, taken } => {
                    match take_watched(shared, since.elapsed() < interval, taken) {
                        Watched::Job(job) => job,
                        Watched::Empty => continue,
                        Watched::Busy => {
                            nap = Some(interval);
                            continue;
                        }
                    }
                }
            };
            ran = true;
            run_guarded(py, runner, first);
            for _ in 0..BATCH {
                let Some(job) = shared.lock().pop() else {
                    break;
                };
                run_guarded(py, runner, job);
            }
        }
    })
}

/// Python's switch interval: how long a thread waiting for the GIL lets the holder keep it.
fn switch_interval(py: Python<'_>) -> Duration {
    py.import("sys")
        .and_then(|sys| sys.call_method0("getswitchinterval"))
        .and_then(|v| v.extract::<f64>())
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(Duration::from_millis(5), Duration::from_secs_f64)
}

/// The next job for a worker (GIL released). `ran`: the worker just finished a drain.
/// `nap`: the worker keeps the watch but lets the running views have the GIL this long first.
fn next(shared: &Shared, ran: bool, nap: Option<Duration>) -> Next {
    let mut st = shared.lock();
    if ran {
        st.running -= 1;
    }
    let mut watching = false;
    let mut idle = 0;
    if let Some(nap) = nap {
        watching = true;
        st.sleeping += 1;
        st = shared
            .wake
            .wait_timeout(st, nap)
            .unwrap_or_else(|p| p.into_inner())
            .0;
        st.sleeping -= 1;
    }
    loop {
        if !st.queue.is_empty() {
            if st.running == 0 {
                st.watcher &= !watching;
                let job = st.pop().expect("queue is not empty");
                st.running += 1;
                return Next::Run(job);
            }
            if watching || !st.watcher {
                st.watcher = true;
                return Next::Watch {
                    since: Instant::now(),
                    taken: st.taken,
                };
            }
        } else if st.closed {
            st.watcher &= !watching;
            return Next::Stop;
        }
        if watching {
            st.watcher = false;
            watching = false;
        }
        if st.queue.is_empty() && idle < IDLE_SPINS {
            // Under a stream of short requests the next job is usually a moment away: look
            // again a few times (yielding the core to the I/O thread that queues it) before
            // sleeping, as crossbeam-channel's `recv` does. Sleeping at once cost a wake-up
            // per request (`GET /`: +10 µs of CPU per request).
            drop(st);
            snooze(idle);
            idle += 1;
            st = shared.lock();
            continue;
        }
        st.sleeping += 1;
        st = shared.wake.wait(st).unwrap_or_else(|p| p.into_inner());
        st.sleeping -= 1;
    }
}

/// Looks at an empty queue this many times before sleeping (see `snooze`).
const IDLE_SPINS: u32 = 10;

/// crossbeam's `Backoff::snooze`: spin 2^step times for the first steps, then yield.
fn snooze(step: u32) {
    if step < 6 {
        for _ in 0..1u32 << step {
            std::hint::spin_loop();
        }
    } else {
        std::thread::yield_now();
    }
}

enum Watched {
    Job(Job),
    /// Nothing queued any more.
    Empty,
    /// The running views are making progress: the switch interval took the GIL from one of
    /// them, it did not block. Keep the watch without adding a job.
    Busy,
}

/// The watcher holds the GIL. `quick`: it got it within a switch interval (a running view let
/// go of it); `taken`: the jobs taken when the watch began. Take a queued job when the running
/// views let go of the GIL or made no progress (a long view: it shares the GIL with the next
/// job, as it would with a thread of its own), and pass the watch on if more are waiting.
fn take_watched(shared: &Shared, quick: bool, taken: u64) -> Watched {
    let mut st = shared.lock();
    if st.queue.is_empty() {
        st.watcher = false;
        return Watched::Empty;
    }
    if !quick && st.taken != taken && st.running > 0 {
        return Watched::Busy;
    }
    st.watcher = false;
    let job = st.pop().expect("queue is not empty");
    st.running += 1;
    let more = !st.queue.is_empty() && st.sleeping > 0;
    drop(st);
    if more {
        shared.wake.notify_one();
    }
    Watched::Job(job)
}

/// A panic while handling one job must not take the worker (or the server) down: the job's
/// reply channel is dropped, which the request side turns into a 500.
fn run_guarded(py: Python<'_>, runner: &dyn JobRunner, job: Job) {
    if let Err(panic) = std::panic::catch_unwind(AssertUnwindSafe(|| runner.run(py, job))) {
        let msg = super::server::panic_message(&*panic);
        super::log::error(py, &format!("panic in a Python worker: {msg}"));
    }
}
