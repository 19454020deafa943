//! The Python face of a built project's compiled templates: `bustapi.templating.compiled`.
//!
//! `render_template` (Python) asks `CompiledTemplates.render` first; `None` means "render
//! with Jinja2" — the template was not compiled, the environment is configured in a way the
//! compiled code does not model, or the render hit an error (Jinja2 then raises its own).

use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::{pyrefs, Context, RenderFn};

thread_local! {
    // Per thread: worker threads render concurrently (switching at GIL boundaries), and each
    // asks for the error of its own last render.
    static LAST_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The templates compiled into this binary, by Jinja name.
#[pyclass(frozen, module = "bustapi._core")]
pub struct CompiledTemplates {
    templates: HashMap<&'static str, RenderFn>,
    /// The Jinja source each template was compiled from (compared with the live one at start-up).
    sources: HashMap<&'static str, &'static str>,
}

impl CompiledTemplates {
    pub fn new(
        registry: &'static [(&'static str, RenderFn)],
        sources: &'static [(&'static str, &'static str)],
    ) -> Self {
        CompiledTemplates {
            templates: registry.iter().copied().collect(),
            sources: sources.iter().copied().collect(),
        }
    }
}

/// Why the compiled code cannot stand in for Jinja2 with this environment, if it cannot.
fn unsupported(env: &Bound<'_, PyAny>) -> PyResult<Option<&'static str>> {
    let py = env.py();
    if !env.getattr("finalize")?.is_none() {
        return Ok(Some("the environment has a `finalize` function"));
    }
    if !env.getattr("undefined")?.is(pyrefs::undefined(py)?) {
        return Ok(Some(
            "the environment's `undefined` is not jinja2.Undefined",
        ));
    }
    if env.getattr("sandboxed")?.is_truthy()? {
        return Ok(Some("the environment is sandboxed"));
    }
    if env.getattr("is_async")?.is_truthy()? {
        return Ok(Some("the environment is async"));
    }
    Ok(None)
}

#[pymethods]
impl CompiledTemplates {
    /// The Jinja names of the compiled templates, sorted.
    fn names(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.templates.keys().copied().collect();
        names.sort_unstable();
        names
    }

    /// Renders `name` with the template's context `vars` and `globals`; `None` when it is not
    /// compiled or cannot be rendered here (see `last_error`).
    fn render(
        &self,
        name: &str,
        vars: Bound<'_, PyDict>,
        globals: Bound<'_, PyAny>,
        env: Bound<'_, PyAny>,
        autoescape: bool,
    ) -> PyResult<Option<String>> {
        let Some(render) = self.templates.get(name) else {
            set_error(Some(format!("{name}: not compiled")));
            return Ok(None);
        };
        if let Some(why) = unsupported(&env)? {
            set_error(Some(format!("{name}: {why}")));
            return Ok(None);
        }
        let ctx = Context::new(vars, globals, env, autoescape, Some(name));
        let result = catch_unwind(AssertUnwindSafe(|| render(&ctx)))
            .unwrap_or_else(|_| Err("the compiled template panicked".into()));
        drop(ctx);
        Ok(match result {
            Ok(text) => {
                set_error(None);
                Some(text)
            }
            Err(e) => {
                set_error(Some(format!("{name}: {e}")));
                None
            }
        })
    }

    /// The Jinja source `name` was compiled from.
    fn source(&self, name: &str) -> Option<&'static str> {
        self.sources.get(name).copied()
    }

    /// Why this thread's last `render` returned `None` (`None` after a successful render).
    fn last_error(&self) -> Option<String> {
        LAST_ERROR.with_borrow(Clone::clone)
    }

    fn __len__(&self) -> usize {
        self.templates.len()
    }

    fn __contains__(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }
}

fn set_error(e: Option<String>) {
    LAST_ERROR.with_borrow_mut(|slot| *slot = e);
}

/// Makes `registry` the application's compiled templates: sets
/// `bustapi.templating.compiled`, which `render_template` consults.
pub fn install(
    py: Python<'_>,
    registry: &'static [(&'static str, RenderFn)],
    sources: &'static [(&'static str, &'static str)],
) -> PyResult<()> {
    let compiled = Bound::new(py, CompiledTemplates::new(registry, sources))?;
    py.import("bustapi.templating")?
        .setattr("compiled", compiled)
}

/// Registers the Python class on `bustapi._core`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<CompiledTemplates>()
}
