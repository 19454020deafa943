//! Python bindings of the compiler crate: `check` and `static_routes`, with JSON strings across the
//! boundary (the CLI formats; the compiler stays free of pyo3). Both release the GIL while they
//! read and analyse files.

use std::path::PathBuf;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

/// `check(paths, options_json) -> (output, errors, exit_code)`.
///
/// `options_json` holds `format`, `fail_on`, `select`, `ignore`, `color`, `config` (all optional).
/// Exit codes: 0 passes, 1 findings at or above `fail_on`, 2 usage error or unreadable input.
#[pyfunction]
fn check(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    options_json: &str,
) -> PyResult<(String, String, i32)> {
    let options: bustapi_compiler::config::Options = serde_json::from_str(options_json)
        .map_err(|e| PyValueError::new_err(format!("invalid options: {e}")))?;
    let outcome = py.detach(|| bustapi_compiler::check(&paths, &options));
    Ok((outcome.output, outcome.errors, outcome.exit_code))
}

/// `static_routes(target, cwd) -> json`: `{"app": ..., "routes": [...], "notes": [...]}`.
/// Raises `OSError` with a `file:line:col: message` text when the target cannot be read or found.
#[pyfunction]
fn static_routes(py: Python<'_>, target: &str, cwd: PathBuf) -> PyResult<String> {
    let result = py.detach(|| bustapi_compiler::routes::static_routes(target, &cwd));
    match result {
        Ok(r) => serde_json::to_string(&r).map_err(|e| PyValueError::new_err(e.to_string())),
        Err(e) => Err(PyOSError::new_err(e)),
    }
}

/// `rules() -> json`: the rule table (code, name, severity, summary, fix).
#[pyfunction]
fn rules() -> String {
    serde_json::to_string(bustapi_compiler::check::rule_infos()).unwrap_or_default()
}

/// Adds the checker's functions to the extension module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(static_routes, m)?)?;
    m.add_function(wrap_pyfunction!(rules, m)?)?;
    Ok(())
}
