//! BustAPI's engine.
//!
//! - [`router`]: Werkzeug's URL-matching semantics in plain Rust (no pyo3).
//! - [`http`]: request parsing and response building helpers (no pyo3).
//! - [`server`]: the tokio/hyper/axum server, static files, graceful shutdown.
//! - [`py`]: the Python bridge, worker pool and bindings.
//! - `pyfloat`: Python's `repr(float)`, shared by the JSON encoder, router and templates.
//! - [`template`]: run-time support for Jinja templates compiled to askama by `bustapi build`.
pub mod http;
pub mod py;
mod pyfloat;
pub mod router;
pub mod server;
pub mod template;
