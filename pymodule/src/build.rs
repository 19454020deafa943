//! Python binding of the compiler's code generator: `bustapi build` calls `generate_project`
//! (JSON options in, JSON summary out); the CLI runs cargo.

use std::path::PathBuf;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

use bustapi_compiler::codegen::{self, BuildOptions, Emit};

/// `generate_project(target, cwd, out, options_json, emit) -> json`.
///
/// `emit` is `"project"` (write every file under `out`) or `"routes"` (return `src/routes.rs`
/// only, write nothing). Returns `{"name", "app", "routes", "pending", "notes", "files": {path:
/// text}, "written": [paths]}`. Raises `OSError` when the target cannot be read, found or parsed,
/// or the files cannot be written; `ValueError` for bad options.
#[pyfunction]
fn generate_project(
    py: Python<'_>,
    target: &str,
    cwd: PathBuf,
    out: PathBuf,
    options_json: &str,
    emit: &str,
) -> PyResult<String> {
    let options: BuildOptions = serde_json::from_str(options_json)
        .map_err(|e| PyValueError::new_err(format!("invalid build options: {e}")))?;
    let emit = match emit {
        "project" => Emit::Project,
        "routes" => Emit::Routes,
        "templates" => Emit::Templates,
        other => return Err(PyValueError::new_err(format!("unknown emit {other:?}"))),
    };
    let result = py.detach(|| -> Result<String, String> {
        let generated = codegen::generate(target, &cwd, &options, emit)?;
        let written = if emit == Emit::Project {
            codegen::write_project(&out, &generated)?
        } else {
            Vec::new()
        };
        let files: serde_json::Map<String, serde_json::Value> = generated
            .files
            .iter()
            .map(|(p, text)| (p.to_string_lossy().into_owned(), text.clone().into()))
            .collect();
        let summary = serde_json::json!({
            "name": generated.name,
            "app": generated.app,
            "routes": generated.routes,
            "pending": generated.pending,
            "notes": generated.notes,
            "templates": {
                "compiled": generated.compiled_templates,
                "fallback": generated.fallback_templates,
            },
            "files": files,
            "written": written,
        });
        Ok(summary.to_string())
    });
    result.map_err(PyOSError::new_err)
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/runtime_sources.rs"));
}

/// `runtime_sources() -> (files, lock)`: the engine crate this module was built from, as
/// `[(path, text)]` relative to the crate (manifest normalised for use outside the workspace),
/// and the workspace's `Cargo.lock` (or None). `bustapi build` writes them out when installed
/// without a source checkout (see `pymodule/build.rs`).
#[pyfunction]
fn runtime_sources() -> (Vec<(&'static str, &'static str)>, Option<&'static str>) {
    (embedded::RUNTIME_FILES.to_vec(), embedded::WORKSPACE_LOCK)
}

/// Adds the build functions to the extension module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(generate_project, m)?)?;
    m.add_function(wrap_pyfunction!(runtime_sources, m)?)?;
    Ok(())
}
