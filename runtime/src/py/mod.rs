//! The only pyo3 code of the engine: Python bindings, the worker pool and the dispatch call.
//! Each area registers its own classes here; `pymodule` only assembles.
use pyo3::prelude::*;

pub mod router;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    router::register(m)?;
    Ok(())
}
