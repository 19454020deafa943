//! Python classes and functions the run-time needs, imported once per interpreter.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

use super::Value;

static MARKUP: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static UNDEFINED: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static NEW_CONTEXT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static BUILTINS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// `markupsafe.Markup`.
pub(crate) fn markup(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    MARKUP.import(py, "markupsafe", "Markup")
}

/// `jinja2.Undefined` (the registry only renders environments using exactly this class).
pub(crate) fn undefined(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    UNDEFINED.import(py, "jinja2", "Undefined")
}

/// `jinja2.runtime.new_context`.
pub(crate) fn new_context(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    Ok(NEW_CONTEXT
        .get_or_try_init(py, || {
            py.import("jinja2.runtime")?
                .getattr("new_context")
                .map(Bound::unbind)
        })?
        .bind(py))
}

/// A name from `builtins`.
pub(crate) fn builtin<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    BUILTINS
        .get_or_try_init(py, || py.import("builtins").map(Bound::unbind))?
        .bind(py)
        .getattr(name)
}

/// The Python token for values of lifetime `'py` that hold no Python object themselves
/// (native values being converted), or `None` outside a render.
pub(crate) fn token<'py>() -> Option<Python<'py>> {
    if super::context::in_render() {
        // SAFETY: a render frame exists only while a `Context<'py>` is alive, and a Context
        // holds `Bound<'py, _>` references, so this thread is attached to the interpreter for
        // the whole of `'py` (values of lifetime `'py` cannot outlive that attachment).
        Some(unsafe { Python::assume_attached() })
    } else {
        None
    }
}

/// Runs `f` with the render's Python token (outside a render: poison).
pub(crate) fn with_py<'py>(f: impl FnOnce(Python<'py>) -> Value<'py>) -> Value<'py> {
    match token() {
        Some(py) => f(py),
        None => Value::Poison("no template render in progress".into()),
    }
}
