//! BustAPI's engine.
//!
//! - [`router`]: Werkzeug's URL-matching semantics in plain Rust (no pyo3).
//! - [`http`]: request parsing and response building helpers (no pyo3).
//! - [`server`]: the tokio/hyper/axum server, static files, graceful shutdown.
//! - [`py`]: the Python bridge, worker pool and bindings.
//! - [`template`]: run-time support for Jinja templates compiled to askama by `bustapi build`.
pub mod http;
pub mod py;
pub mod router;
pub mod server;
pub mod template;
