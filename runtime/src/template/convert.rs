//! Crossing between [`Value`] and Python objects, and turning Python errors into poison.
//!
//! Python scalars that convert exactly (`int` that fits `i64`, `float`, `bool`, `None`) become
//! native on the way in, so arithmetic on context values and loop counters stays in Rust; every
//! other object (big ints, `str` and its subclasses, `Markup`, containers, user objects) stays a
//! Python object so it keeps its own behaviour.

use std::rc::Rc;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use super::pyrefs;
use super::{Args, Value};

/// A poisoned value carrying `message`.
pub(crate) fn poison<'py>(message: impl Into<Rc<str>>) -> Value<'py> {
    Value::Poison(message.into())
}

/// A Python exception as poison (`"TypeError: …"`).
pub(crate) fn py_err<'py>(e: PyErr) -> Value<'py> {
    poison(e.to_string())
}

/// A Python object as a [`Value`].
pub(crate) fn from_py(obj: Bound<'_, PyAny>) -> Value<'_> {
    if obj.is_none() {
        return Value::None;
    }
    if obj.is_exact_instance_of::<PyBool>() {
        return Value::Bool(obj.is_truthy().unwrap_or(false));
    }
    if obj.is_exact_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Value::Int(i);
        }
    } else if obj.is_exact_instance_of::<PyFloat>() {
        if let Ok(f) = obj.extract::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Py(obj)
}

/// A [`Value`] as a Python object (poison becomes the error it carries).
pub(crate) fn to_py<'py>(py: Python<'py>, v: &Value<'py>) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Py(obj) => obj.clone(),
        Value::None => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Float(f) => PyFloat::new(py, *f).into_any(),
        Value::Str(s) => PyString::new(py, s).into_any(),
        Value::Markup(s) => pyrefs::markup(py)?.call1((PyString::new(py, s),))?,
        Value::List(items) => {
            let list = PyList::empty(py);
            for item in items.iter() {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Tuple(items) => {
            let objs = items
                .iter()
                .map(|i| to_py(py, i))
                .collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(py, objs)?.into_any()
        }
        Value::Dict(items) => {
            let dict = PyDict::new(py);
            for (k, v) in items.iter() {
                dict.set_item(to_py(py, k)?, to_py(py, v)?)?;
            }
            dict.into_any()
        }
        Value::Undefined(name) => {
            let kw = PyDict::new(py);
            if !name.is_empty() {
                kw.set_item("name", name)?;
            }
            pyrefs::undefined(py)?.call((), Some(&kw))?
        }
        Value::Poison(e) => return Err(PyRuntimeError::new_err(e.to_string())),
        Value::Loop(_) | Value::LoopMethod(..) => {
            // Jinja's LoopContext is not rebuilt in Python: such a template falls back.
            return Err(PyRuntimeError::new_err(
                "the compiled `loop` cannot be passed to Python",
            ));
        }
    })
}

/// Positional and keyword arguments for a Python call: `prefix` (a `pass_context` argument),
/// then `first` (a filter's or test's value), then `args`.
pub(crate) fn to_py_args<'py>(
    py: Python<'py>,
    prefix: Option<Bound<'py, PyAny>>,
    first: Option<&Value<'py>>,
    args: &Args<'py>,
) -> PyResult<(Bound<'py, PyTuple>, Option<Bound<'py, PyDict>>)> {
    let mut pos = Vec::with_capacity(args.pos.len() + 2);
    pos.extend(prefix);
    if let Some(v) = first {
        pos.push(to_py(py, v)?);
    }
    for v in &args.pos {
        pos.push(to_py(py, v)?);
    }
    let kw = if args.kw.is_empty() {
        None
    } else {
        let d = PyDict::new(py);
        for (k, v) in &args.kw {
            d.set_item(*k, to_py(py, v)?)?;
        }
        Some(d)
    };
    Ok((PyTuple::new(py, pos)?, kw))
}
