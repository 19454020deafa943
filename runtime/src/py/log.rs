//! Logging through Python's `logging` (logger `bustapi`), so engine messages land wherever the
//! application configured its logs.
use pyo3::prelude::*;

fn logger(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    py.import("logging")?
        .call_method1("getLogger", ("bustapi",))
}

pub fn error(py: Python<'_>, msg: &str) {
    if logger(py)
        .and_then(|l| l.call_method1("error", (msg,)))
        .is_err()
    {
        eprintln!("bustapi: {msg}");
    }
}

/// Log `msg` with the traceback of `err`.
pub fn exception(py: Python<'_>, msg: &str, err: &PyErr) {
    let logged = (|| -> PyResult<()> {
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("exc_info", err.value(py))?;
        logger(py)?.call_method("error", (msg,), Some(&kwargs))?;
        Ok(())
    })();
    if logged.is_err() {
        eprintln!("bustapi: {msg}: {err}");
    }
}

pub fn info(py: Python<'_>, logger_name: &str, msg: &str) {
    let _ = py
        .import("logging")
        .and_then(|m| m.call_method1("getLogger", (logger_name,)))
        .and_then(|l| l.call_method1("info", (msg,)));
}
