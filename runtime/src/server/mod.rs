//! The server: listeners, HTTP/1.1 (keep-alive, pipelining) and HTTP/2, graceful shutdown, static files.
//! Plain tokio/hyper/axum; no pyo3 here — the Python side plugs in as an axum `Router`.
pub mod listener;
pub mod sched;
pub mod static_files;

use std::future::Future;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tower::ServiceExt;

pub use listener::{Bind, Listener, PeerAddr};

/// Tunables of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// How long in-flight requests may take to finish after a shutdown signal.
    pub shutdown_grace: Duration,
    /// How long a client may take to send a request's headers (slowloris guard).
    pub header_read_timeout: Duration,
    /// Largest request head (request line + headers) accepted; bigger gets 431.
    pub max_head_size: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            shutdown_grace: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(30),
            max_head_size: 64 * 1024,
        }
    }
}

/// Serve `app` on `listener` until `shutdown` resolves; then stop accepting, let in-flight requests
/// finish (up to `shutdown_grace`) and return.
pub async fn serve<F>(listener: Listener, app: axum::Router, config: HttpConfig, shutdown: F)
where
    F: Future<Output = ()> + Send,
{
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .keep_alive(true)
        // Pipelined requests are served in order either way. `pipeline_flush(true)` would batch
        // their writes, but hyper 1.12 then never flushes its automatic 400/431 answer to a
        // malformed request (tests/http_server.rs), so it stays off.
        .pipeline_flush(false)
        .max_buf_size(config.max_head_size.max(8192))
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(config.header_read_timeout);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (io, peer) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                // EMFILE and friends: back off instead of spinning, keep serving.
                tracing_warn(&format!("accept failed: {e}"));
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let app = app.clone();
        let service =
            hyper::service::service_fn(move |mut req: http::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(peer.clone());
                app.clone().oneshot(req.map(axum::body::Body::new))
            });
        let conn = builder.serve_connection(TokioIo::new(io), service);
        let conn = graceful.watch(conn.into_owned());
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(config.shutdown_grace, graceful.shutdown()).await;
}

fn tracing_warn(msg: &str) {
    eprintln!("bustapi: {msg}");
}
