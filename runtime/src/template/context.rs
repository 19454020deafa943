//! [`Context`]: one render's variables, environment and error slot.
//!
//! Some contract calls get no context argument (`Value::truthy`, `Value::call`, `t::iterate`,
//! `t::escaped`, `ops::concat`), yet poison must reach the render's error slot and a
//! `pass_context` callable needs a Jinja context. So every live [`Context`] also sits on a
//! thread-local stack (the GIL is held for the whole render, so one thread renders at a time and
//! a nested render — a Python filter rendering another template — pushes above its caller).

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use pyo3::exceptions::{PyKeyError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::convert::{from_py, poison, py_err, to_py_args};
use super::format::Output;
use super::pyrefs;
use super::value::pass_arg;
use super::{Args, Value};

/// Which first argument a `jinja2.pass_*` decorated callable wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PassArg {
    Context,
    EvalContext,
    Environment,
}

struct Frame {
    id: u64,
    error: Option<Rc<str>>,
    env: Py<PyAny>,
    vars: Py<PyDict>,
    globals: Py<PyAny>,
    name: Option<String>,
    autoescape: bool,
    /// The `jinja2.runtime.Context`, built the first time a `pass_context` callable needs it.
    jinja: Option<Py<PyAny>>,
}

thread_local! {
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Records `error` in the innermost render's slot (the first error wins: it is the one Jinja
/// would have raised).
pub(crate) fn record(error: &Rc<str>) {
    FRAMES.with_borrow_mut(|frames| {
        if let Some(f) = frames.last_mut() {
            f.error.get_or_insert_with(|| error.clone());
        }
    });
}

/// Whether a render is in progress on this thread.
pub(crate) fn in_render() -> bool {
    FRAMES.with_borrow(|frames| !frames.is_empty())
}

/// Takes the innermost render's recorded error.
pub(crate) fn take_error() -> Option<Rc<str>> {
    FRAMES.with_borrow_mut(|frames| frames.last_mut().and_then(|f| f.error.take()))
}

/// Whether the innermost render autoescapes (false outside a render).
pub(crate) fn autoescape() -> bool {
    FRAMES.with_borrow(|frames| frames.last().is_some_and(|f| f.autoescape))
}

/// The argument a `pass_*` callable gets from the innermost render.
pub(crate) fn pass_arg_value(py: Python<'_>, kind: PassArg) -> PyResult<Bound<'_, PyAny>> {
    let (env, vars, globals, name, autoescape, jinja) = FRAMES
        .with_borrow(|frames| {
            frames.last().map(|f| {
                (
                    f.env.clone_ref(py),
                    f.vars.clone_ref(py),
                    f.globals.clone_ref(py),
                    f.name.clone(),
                    f.autoescape,
                    f.jinja.as_ref().map(|j| j.clone_ref(py)),
                )
            })
        })
        .ok_or_else(|| PyRuntimeError::new_err("no template is being rendered"))?;
    if kind == PassArg::Environment {
        return Ok(env.into_bound(py));
    }
    let jinja = match jinja {
        Some(j) => j.into_bound(py),
        None => {
            // Python runs here with no borrow of FRAMES held (it may render a template itself).
            let j = pyrefs::new_context(py)?.call1((
                env.bind(py),
                name,
                PyDict::new(py),
                vars.bind(py),
                false,
                globals.bind(py),
            ))?;
            j.getattr("eval_ctx")?.setattr("autoescape", autoescape)?;
            FRAMES.with_borrow_mut(|frames| {
                if let Some(f) = frames.last_mut() {
                    f.jinja = Some(j.clone().unbind());
                }
            });
            j
        }
    };
    match kind {
        PassArg::Context => Ok(jinja),
        _ => jinja.getattr("eval_ctx"),
    }
}

/// One render: the context, the environment's globals, filters and tests, and the error slot.
pub struct Context<'py> {
    pub py: Python<'py>,
    pub vars: Bound<'py, PyDict>,
    /// The template's globals (Jinja's `Template.globals`: the environment's plus its own).
    pub globals: Bound<'py, PyAny>,
    /// The `jinja2.Environment` (filters, tests, `getattr`, policies).
    pub env: Bound<'py, PyAny>,
    pub autoescape: bool,
    id: u64,
}

impl<'py> Context<'py> {
    /// Starts a render of the template called `name` (for `pass_eval_context` and error
    /// messages). Dropping the context ends it.
    pub fn new(
        vars: Bound<'py, PyDict>,
        globals: Bound<'py, PyAny>,
        env: Bound<'py, PyAny>,
        autoescape: bool,
        name: Option<&str>,
    ) -> Self {
        let py = vars.py();
        let id = NEXT_ID.with(|n| {
            let id = n.get();
            n.set(id + 1);
            id
        });
        FRAMES.with_borrow_mut(|frames| {
            frames.push(Frame {
                id,
                error: None,
                env: env.clone().unbind(),
                vars: vars.clone().unbind(),
                globals: globals.clone().unbind(),
                name: name.map(str::to_owned),
                autoescape,
                jinja: None,
            })
        });
        Context {
            py,
            vars,
            globals,
            env,
            autoescape,
            id,
        }
    }

    /// The error recorded so far, taken out of the slot (test helpers; [`super::render`] does
    /// this for generated code).
    pub fn take_error(&self) -> Option<String> {
        FRAMES.with_borrow_mut(|frames| {
            frames
                .iter_mut()
                .rfind(|f| f.id == self.id)
                .and_then(|f| f.error.take())
                .map(|e| e.to_string())
        })
    }

    /// A name not bound in the template.
    pub fn get(&self, name: &'static str) -> Value<'py> {
        match self.vars.get_item(name) {
            Ok(Some(v)) => return from_py(v),
            Ok(None) => {}
            Err(e) => return py_err(e),
        }
        if let Ok(g) = self.globals.cast::<PyDict>() {
            return match g.get_item(name) {
                Ok(Some(v)) => from_py(v),
                Ok(None) => Value::Undefined(name),
                Err(e) => py_err(e),
            };
        }
        match self.globals.get_item(name) {
            Ok(v) => from_py(v),
            Err(e) if e.is_instance_of::<PyKeyError>(self.py) => Value::Undefined(name),
            Err(e) => py_err(e),
        }
    }

    /// `{{ v }}`: the value as text, escaped when the render autoescapes.
    pub fn out<'a>(&'a self, v: &'a Value<'py>) -> impl fmt::Display + use<'a, 'py> {
        Output {
            value: v,
            escape: self.autoescape,
        }
    }

    /// A filter this module does not implement natively.
    pub fn filter(&self, name: &'static str, v: &Value<'py>, args: Args<'py>) -> Value<'py> {
        if v.is_poison() {
            return v.clone();
        }
        if let Some(p) = args.poison() {
            return p;
        }
        match self.call_named("filters", name, v, &args) {
            Ok(r) => from_py(r),
            Err(e) => py_err(e),
        }
    }

    /// A test this module does not implement natively.
    pub fn test(&self, name: &'static str, v: &Value<'py>, args: Args<'py>) -> bool {
        let poisoned = if v.is_poison() {
            Some(v.clone())
        } else {
            args.poison()
        };
        let result = match poisoned {
            Some(p) => Err(p),
            None => self
                .call_named("tests", name, v, &args)
                .and_then(|r| r.is_truthy())
                .map_err(py_err),
        };
        match result {
            Ok(b) => b,
            Err(p) => {
                if let Value::Poison(e) = p {
                    record(&e);
                }
                false
            }
        }
    }

    /// Calls `env.<table>[name](value, *args, **kwargs)` as `Environment.call_filter` /
    /// `call_test` would, honouring `pass_context`, `pass_eval_context` and `pass_environment`.
    fn call_named(
        &self,
        table: &str,
        name: &str,
        v: &Value<'py>,
        args: &Args<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let func = match self.env.getattr(table)?.get_item(name) {
            Ok(f) => f,
            Err(e) if e.is_instance_of::<PyKeyError>(py) => {
                let what = if table == "filters" { "filter" } else { "test" };
                return Err(PyRuntimeError::new_err(format!(
                    "No {what} named '{name}'."
                )));
            }
            Err(e) => return Err(e),
        };
        let prefix = match pass_arg(&func) {
            Some(kind) => Some(pass_arg_value(py, kind)?),
            None => None,
        };
        let (pos, kw) = to_py_args(py, prefix, Some(v), args)?;
        func.call(pos, kw.as_ref())
    }

    /// `policies[key]` of the environment (e.g. `truncate.leeway`).
    pub(crate) fn policy(&self, key: &str) -> Value<'py> {
        match self
            .env
            .getattr("policies")
            .and_then(|p| p.get_item(PyString::new(self.py, key)))
        {
            Ok(v) => from_py(v),
            Err(e) => poison(e.to_string()),
        }
    }
}

impl Drop for Context<'_> {
    fn drop(&mut self) {
        let removed = FRAMES.with_borrow_mut(|frames| {
            frames
                .iter()
                .rposition(|f| f.id == self.id)
                .map(|i| frames.remove(i))
        });
        // Python references are released here, outside the borrow.
        drop(removed);
    }
}
