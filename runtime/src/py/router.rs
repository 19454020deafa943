//! Python binding of the router: `bustapi._core.Router`.
//! (Placeholder until the router branch lands: the engine only needs `PyRouter::router` and
//! `match_to_py`.)
use std::sync::Arc;

use pyo3::prelude::*;

use crate::router::{MatchResult, Router};

#[pyclass(frozen, module = "bustapi._core", name = "Router")]
pub struct PyRouter {
    inner: Arc<Router>,
}

impl PyRouter {
    pub fn router(&self) -> Arc<Router> {
        self.inner.clone()
    }
}

pub fn match_to_py<'py>(py: Python<'py>, m: &MatchResult) -> PyResult<Bound<'py, PyAny>> {
    let _ = m;
    Ok(py.None().into_bound(py))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRouter>()?;
    Ok(())
}
