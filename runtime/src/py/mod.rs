//! The only pyo3 code of the engine: Python bindings, the worker pool and the dispatch call.
//! Each area registers its own classes here; `pymodule` only assembles.
use pyo3::prelude::*;

pub mod embed;
pub mod json;
pub mod log;
pub mod pool;
pub mod request;
pub mod response;
pub mod router;
pub mod server;
pub mod service;
pub mod table;

/// Panic in Rust: lets the tests prove a panic during a request becomes a 500 and the server
/// keeps serving (pyo3 turns it into `pyo3_runtime.PanicException`).
#[pyfunction]
fn _panic(message: &str) {
    panic!("{message}");
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_panic, m)?)?;
    m.add_function(wrap_pyfunction!(request::parse_qsl, m)?)?;
    router::register(m)?;
    json::register(m)?;
    m.add_class::<request::RawRequest>()?;
    m.add_class::<table::RouteTable>()?;
    m.add_class::<server::Server>()?;
    Ok(())
}
