//! BustAPI's engine.
//!
//! - [`router`]: Werkzeug's URL-matching semantics in plain Rust (no pyo3).
//! - [`http`]: request parsing and response building helpers (no pyo3).
//! - [`server`]: the tokio/hyper/axum server, static files, graceful shutdown.
//! - [`py`]: the only pyo3 code — the Python bridge, worker pool and bindings.
pub mod http;
pub mod py;
pub mod router;
pub mod server;
