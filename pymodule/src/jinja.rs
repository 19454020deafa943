//! Python binding of the Jinja → askama translator: the parity tests ask it which templates
//! compile, and tools can show its verdicts.

use pyo3::prelude::*;

use bustapi_compiler::jinja::{translate_set, Options};

/// One template's outcome: (name, askama source or None, unsupported as (line, column, text)).
type Outcome = (String, Option<String>, Vec<(usize, usize, String)>);

/// `translate_templates(templates, trim_blocks=False, lstrip_blocks=False,
/// keep_trailing_newline=False)`: translates `(name, source)` pairs as one set, with Flask's
/// autoescape selection by name.
#[pyfunction]
#[pyo3(signature = (templates, trim_blocks = false, lstrip_blocks = false, keep_trailing_newline = false))]
fn translate_templates(
    py: Python<'_>,
    templates: Vec<(String, String)>,
    trim_blocks: bool,
    lstrip_blocks: bool,
    keep_trailing_newline: bool,
) -> Vec<Outcome> {
    let options = Options {
        trim_blocks,
        lstrip_blocks,
        keep_trailing_newline,
        ..Options::default()
    };
    let outcomes = py.detach(|| translate_set(&templates, &options));
    outcomes
        .into_iter()
        .map(|o| match o.result {
            Ok(askama) => (o.name, Some(askama), Vec::new()),
            Err(errors) => (
                o.name,
                None,
                errors
                    .into_iter()
                    .map(|u| (u.line, u.column, u.construct))
                    .collect(),
            ),
        })
        .collect()
}

/// Adds the translator to the extension module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(translate_templates, m)?)?;
    Ok(())
}
