//! `bustapi._core.Server`: binds, runs the tokio runtime and the Python worker pool, stops
//! gracefully. The GIL is released for the whole time the server runs; only the worker pool
//! (and the main thread, briefly, to run Python's signal handlers) takes it.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use pyo3::exceptions::{PyKeyboardInterrupt, PyOSError, PyRuntimeError};
use pyo3::prelude::*;
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;

use crate::server::listener::InheritedListener;
use crate::server::static_files::MimeTable;
use crate::server::{self, Bind, HttpConfig, Listener};

use super::pool::{Job, JobRunner, Pool};
use super::request::{RawRequest, ServerAddr};
use super::response::{self, Reply};
use super::service::{self, AppState};
use super::table::{RouteTable, RouteTableData};

enum Bound_ {
    Tcp(std::net::TcpListener),
    Unix(std::os::unix::net::UnixListener, Option<PathBuf>),
}

#[pyclass(frozen, module = "bustapi._core", name = "Server")]
pub struct Server {
    handler: Py<PyAny>,
    threads: usize,
    io_threads: usize,
    batch_scheduling: bool,
    access_log: bool,
    body_timeout: Duration,
    mimes: MimeTable,
    table: Arc<RwLock<Arc<RouteTableData>>>,
    live: Mutex<std::sync::Weak<AppState>>,
    bound: Mutex<Option<Bound_>>,
    stop: watch::Sender<bool>,
}

#[pymethods]
impl Server {
    #[new]
    #[pyo3(signature = (handler, table, *, threads = 8, io_threads = 0, batch_scheduling = true, access_log = false, mimetypes = HashMap::new(), encodings = HashMap::new(), body_timeout = 30.0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        handler: Py<PyAny>,
        table: PyRef<'_, RouteTable>,
        threads: usize,
        io_threads: usize,
        batch_scheduling: bool,
        access_log: bool,
        mimetypes: HashMap<String, String>,
        encodings: HashMap<String, String>,
        body_timeout: f64,
    ) -> Self {
        let io_threads = if io_threads == 0 {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        } else {
            io_threads
        };
        Server {
            handler,
            threads: threads.max(1),
            io_threads,
            batch_scheduling,
            access_log,
            body_timeout: Duration::from_secs_f64(body_timeout.max(0.001)),
            mimes: MimeTable {
                types: mimetypes,
                encodings,
            },
            table: Arc::new(RwLock::new(table.snapshot())),
            live: Mutex::new(std::sync::Weak::new()),
            bound: Mutex::new(None),
            stop: watch::channel(false).0,
        }
    }

    /// Bind a TCP socket now (so "address in use" is raised here); returns the port bound.
    #[pyo3(signature = (host, port, *, reuse_port = false))]
    fn bind_tcp(&self, host: String, port: u16, reuse_port: bool) -> PyResult<u16> {
        let l = Listener::bind(&Bind::Tcp {
            host,
            port,
            reuse_port,
        })
        .map_err(os_error)?;
        let port = l.local_addr().map_err(os_error)?.port();
        *self.bound.lock().map_err(poisoned)? = Some(Bound_::Tcp(l));
        Ok(port)
    }

    /// Serve on an inherited listening socket, TCP or Unix (a supervisor's, for `--workers`).
    /// Returns the TCP port, or `None` for a Unix socket (whose file the owner removes).
    fn bind_fd(&self, fd: i32) -> PyResult<Option<u16>> {
        let (bound, port) = match Listener::from_fd(fd).map_err(os_error)? {
            InheritedListener::Tcp(l) => {
                let port = l.local_addr().map_err(os_error)?.port();
                (Bound_::Tcp(l), Some(port))
            }
            InheritedListener::Unix(l) => (Bound_::Unix(l, None), None),
        };
        *self.bound.lock().map_err(poisoned)? = Some(bound);
        Ok(port)
    }

    fn bind_unix(&self, path: PathBuf) -> PyResult<()> {
        let l = Listener::bind_unix(&path).map_err(os_error)?;
        *self.bound.lock().map_err(poisoned)? = Some(Bound_::Unix(l, Some(path)));
        Ok(())
    }

    /// Replace the route table (the app's URL map changed).
    fn set_table(&self, table: PyRef<'_, RouteTable>) -> PyResult<()> {
        *self.table.write().map_err(poisoned)? = table.snapshot();
        if let Some(state) = self.live.lock().map_err(poisoned)?.upgrade() {
            *state.table.write().map_err(poisoned)? = table.snapshot();
        }
        Ok(())
    }

    /// Ask a running `serve()` to stop: stop accepting, finish in-flight requests, return.
    fn stop(&self) {
        let _ = self.stop.send(true);
    }

    /// Serve until `stop()` or, with `handle_signals`, until a Python signal handler raises
    /// (SIGINT's `KeyboardInterrupt` ends serving quietly; other exceptions are re-raised after
    /// the graceful stop). Blocks; the GIL is released meanwhile.
    #[pyo3(signature = (*, handle_signals = true))]
    fn serve(&self, py: Python<'_>, handle_signals: bool) -> PyResult<()> {
        let bound = self.bound.lock().map_err(poisoned)?.take();
        let bound = bound.ok_or_else(|| PyRuntimeError::new_err("Server.serve() before bind"))?;
        let runner: Arc<dyn JobRunner> = Arc::new(Runner {
            handler: self.handler.clone_ref(py),
        });
        let batch = self.batch_scheduling;
        let pool = Pool::start(self.threads, runner, batch);
        let (access_tx, access_thread) = if self.access_log {
            let (tx, rx) = crossbeam_channel::unbounded::<String>();
            (
                Some(tx),
                Some(std::thread::spawn(move || access_logger(rx))),
            )
        } else {
            (None, None)
        };
        let server_addr = match &bound {
            Bound_::Tcp(l) => l
                .local_addr()
                .map(|a| (a.ip().to_string(), a.port()))
                .unwrap_or_else(|_| ("localhost".into(), 80)),
            Bound_::Unix(..) => ("localhost".into(), 80),
        };
        let server_addr: Arc<ServerAddr> = Arc::new(server_addr.into_pyobject(py)?.unbind());
        let state = Arc::new(AppState {
            table: RwLock::new(self.table.read().map_err(poisoned)?.clone()),
            jobs: pool.sender(),
            mimes: self.mimes.clone(),
            server: server_addr,
            access_log: access_tx,
            body_timeout: self.body_timeout,
        });
        *self.live.lock().map_err(poisoned)? = Arc::downgrade(&state);
        let mut stop_rx = self.stop.subscribe();
        let io_threads = self.io_threads;

        let outcome: Result<Option<PyErr>, std::io::Error> = py.detach(move || {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder
                .worker_threads(io_threads)
                .thread_name("bustapi-io")
                .enable_all();
            if batch {
                builder.on_thread_start(server::sched::batch_current_thread);
            }
            let rt = builder.build()?;
            let app_state = state.clone();
            let result = rt.block_on(async move {
                let listener = match bound {
                    Bound_::Tcp(l) => Listener::Tcp(tokio::net::TcpListener::from_std(l)?),
                    Bound_::Unix(l, path) => {
                        Listener::Unix(tokio::net::UnixListener::from_std(l)?, path)
                    }
                };
                let app = axum::Router::new()
                    .fallback(service::handle)
                    .with_state(app_state)
                    .layer(CatchPanicLayer::custom(panic_response));
                let signal_error: Arc<Mutex<Option<PyErr>>> = Arc::default();
                let signal_slot = signal_error.clone();
                let shutdown = async move {
                    let stopped = async {
                        while !*stop_rx.borrow_and_update() {
                            if stop_rx.changed().await.is_err() {
                                std::future::pending::<()>().await;
                            }
                        }
                    };
                    tokio::select! {
                        () = stopped => {},
                        err = python_signals(), if handle_signals => {
                            *signal_slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(err);
                        }
                    }
                };
                server::serve(listener, app, HttpConfig::default(), shutdown).await;
                let err = signal_error
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .take();
                Ok::<_, std::io::Error>(err)
            });
            // Dropped here, with the GIL released: runtime threads may still touch Python.
            drop(rt);
            drop(state);
            pool.stop();
            result
        });
        if let Some(t) = access_thread {
            py.detach(|| {
                let _ = t.join();
            });
        }
        match outcome {
            Err(e) => Err(os_error(e)),
            Ok(Some(err)) if err.is_instance_of::<PyKeyboardInterrupt>(py) => Ok(()),
            Ok(Some(err)) => Err(err),
            Ok(None) => Ok(()),
        }
    }
}

/// Python's signal handlers only set a flag while Rust runs; run them from the main thread
/// (this future runs on the thread that called `serve`) and stop when one raises.
async fn python_signals() -> PyErr {
    loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if let Err(err) = Python::attach(|py| py.check_signals()) {
            return err;
        }
    }
}

pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

fn panic_response(panic: Box<dyn std::any::Any + Send>) -> axum::response::Response {
    let msg = panic_message(&*panic);
    eprintln!("bustapi: panic while handling a request: {msg}");
    service::plain(
        http::StatusCode::INTERNAL_SERVER_ERROR,
        "Internal Server Error\n",
    )
}

fn access_logger(rx: crossbeam_channel::Receiver<String>) {
    while let Ok(first) = rx.recv() {
        Python::attach(|py| {
            super::log::info(py, "bustapi.access", &first);
            while let Ok(line) = rx.try_recv() {
                super::log::info(py, "bustapi.access", &line);
            }
        });
    }
}

struct Runner {
    handler: Py<PyAny>,
}

impl JobRunner for Runner {
    fn run(&self, py: Python<'_>, job: Job) {
        match job {
            Job::Request(raw) => self.dispatch(py, raw),
            Job::Next { iter, reply } => {
                let chunk = response::next_chunk(py, &iter);
                if !matches!(chunk, Some(Ok(_))) {
                    response::close_iter(py, &iter);
                }
                let _ = reply.send(chunk);
            }
            Job::Close { iter } => response::close_iter(py, &iter),
        }
    }
}

impl Runner {
    fn dispatch(&self, py: Python<'_>, raw: Box<RawRequest>) {
        let raw = match Py::new(py, *raw) {
            Ok(raw) => raw,
            Err(err) => return super::log::exception(py, "Could not create the request", &err),
        };
        // A panic raised back through Python (pyo3 resumes it when the error comes back) must
        // still answer this request: the request object may be kept alive by a traceback, so
        // its reply channel would never close on its own.
        let call = std::panic::catch_unwind(AssertUnwindSafe(|| {
            self.handler.bind(py).call1((raw.clone_ref(py),))
        }));
        let reply = match call {
            // `None`: the dispatch continues on the engine's event loop and calls `respond`.
            Ok(Ok(v)) if v.is_none() => return,
            Ok(Ok(v)) => response::convert(py, &v).unwrap_or_else(|err| {
                super::log::exception(py, "Invalid response from the dispatch", &err);
                internal_error()
            }),
            Ok(Err(err)) => {
                super::log::exception(py, "Unhandled error in the dispatch", &err);
                internal_error()
            }
            Err(panic) => {
                super::log::error(
                    py,
                    &format!("panic while handling a request: {}", panic_message(&*panic)),
                );
                internal_error()
            }
        };
        let sender = raw.get().reply.lock().ok().and_then(|mut s| s.take());
        if let Some(tx) = sender {
            let _ = tx.send(reply);
        }
    }
}

fn internal_error() -> Reply {
    Reply::Full(service::plain(
        http::StatusCode::INTERNAL_SERVER_ERROR,
        "Internal Server Error\n",
    ))
}

fn os_error(e: std::io::Error) -> PyErr {
    PyOSError::new_err(e.to_string())
}

fn poisoned<T>(_: T) -> PyErr {
    PyRuntimeError::new_err("server state lock poisoned")
}
