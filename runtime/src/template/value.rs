//! [`Value`]: what a Jinja expression evaluates to during a compiled render, and the operations
//! generated code calls on it (attribute and item access, slicing, calls, truth).
//!
//! Access follows `jinja2.Environment.getattr`/`getitem` (default, non-sandboxed environment);
//! Python objects are asked through Python so their own semantics hold.

use std::rc::Rc;

use pyo3::exceptions::{PyAttributeError, PyLookupError, PyStopIteration, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::context;
use super::convert::{from_py, poison, py_err, to_py, to_py_args};
use super::loops::{LoopMethod, LoopRef};
use super::pyrefs;
use super::{Args, Items};

/// A Jinja value during a render.
#[derive(Clone)]
pub enum Value<'py> {
    /// A name that is not defined (prints as "", is false, iterates as empty).
    Undefined(&'static str),
    /// An error that surfaces when the value is used (see the module docs).
    Poison(Rc<str>),
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    /// A `Markup` string (not escaped again on output).
    Markup(Rc<str>),
    List(Rc<Vec<Value<'py>>>),
    Tuple(Rc<Vec<Value<'py>>>),
    Dict(Rc<Vec<(Value<'py>, Value<'py>)>>),
    /// Any Python object.
    Py(Bound<'py, PyAny>),
    /// Jinja's `loop` inside a `for` (see [`super::iterate`]).
    Loop(LoopRef<'py>),
    /// `loop.cycle` / `loop.changed`, waiting to be called.
    LoopMethod(LoopRef<'py>, LoopMethod),
}

/// Methods of `dict`: `d.items` is the method, not the key "items" (Jinja tries `getattr` first).
const DICT_ATTRS: &[&str] = &[
    "clear",
    "copy",
    "fromkeys",
    "get",
    "items",
    "keys",
    "pop",
    "popitem",
    "setdefault",
    "update",
    "values",
];

impl<'py> Value<'py> {
    pub fn none() -> Self {
        Value::None
    }
    pub fn bool(b: bool) -> Self {
        Value::Bool(b)
    }
    pub fn int(i: i64) -> Self {
        Value::Int(i)
    }
    pub fn float(f: f64) -> Self {
        Value::Float(f)
    }
    pub fn str(s: &'static str) -> Self {
        Value::Str(s.into())
    }
    pub fn list(items: impl Items<Value<'py>>) -> Self {
        Value::List(Rc::new(items.into_vec()))
    }
    pub fn tuple(items: impl Items<Value<'py>>) -> Self {
        Value::Tuple(Rc::new(items.into_vec()))
    }
    pub fn dict(items: impl Items<(Value<'py>, Value<'py>)>) -> Self {
        Value::Dict(Rc::new(items.into_vec()))
    }

    /// A Python object as a value (exact `int`/`float`/`bool`/`None` become native).
    pub fn from_py(obj: Bound<'py, PyAny>) -> Self {
        from_py(obj)
    }

    /// The value as a Python object (poison is a `RuntimeError` carrying its message).
    pub fn to_py(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self)
    }

    /// `v.name` (Jinja's `getattr`: attribute, then item).
    pub fn attr(&self, name: &str) -> Value<'py> {
        match self {
            Value::Poison(_) => self.clone(),
            Value::Undefined(n) => poison(format!("'{n}' is undefined")),
            Value::Loop(l) => l.attr(name),
            Value::Dict(items) if !is_dict_attr(name) => items
                .iter()
                .find(|(k, _)| k.as_str() == Some(name))
                .map_or(Value::Undefined(""), |(_, v)| v.clone()),
            Value::Py(obj) => py_getattr(obj, name),
            _ => pyrefs::with_py(|py| match to_py(py, self) {
                Ok(obj) => py_getattr(&obj, name),
                Err(e) => py_err(e),
            }),
        }
    }

    /// `v[key]` (Jinja's `getitem`: item, then attribute for string keys).
    pub fn item(&self, key: &Value<'py>) -> Value<'py> {
        match (self, key) {
            (Value::Poison(_), _) => return self.clone(),
            (_, Value::Poison(_)) => return key.clone(),
            (Value::Undefined(n), _) => return poison(format!("'{n}' is undefined")),
            (Value::Loop(l), _) => {
                return match key.as_str() {
                    Some(name) => l.attr(name),
                    None => Value::Undefined(""),
                }
            }
            (Value::List(items) | Value::Tuple(items), Value::Int(i)) => {
                let i = if *i < 0 { *i + items.len() as i64 } else { *i };
                if let Some(v) = usize::try_from(i).ok().and_then(|i| items.get(i)) {
                    return v.clone();
                }
                return Value::Undefined("");
            }
            (Value::Dict(items), _) => {
                if let Some((_, v)) = items.iter().find(|(k, _)| native_key_eq(k, key)) {
                    return v.clone();
                }
            }
            (Value::Py(obj), _) => {
                if let Ok(d) = obj.cast_exact::<PyDict>() {
                    // The dict fast path: a hit is a hit; a miss goes the general way (str keys
                    // then try attributes, as Jinja does).
                    if let Ok(k) = to_py(obj.py(), key) {
                        if let Ok(Some(v)) = d.get_item(&k) {
                            return from_py(v);
                        }
                    }
                }
            }
            _ => {}
        }
        pyrefs::with_py(|py| {
            let obj = match to_py(py, self) {
                Ok(o) => o,
                Err(e) => return py_err(e),
            };
            let k = match to_py(py, key) {
                Ok(k) => k,
                Err(e) => return py_err(e),
            };
            py_getitem(&obj, &k)
        })
    }

    /// `v[start:stop:step]`; absent parts are `Value::None`. (A plain Python subscript, as
    /// Jinja compiles slices: errors are errors, not `Undefined`.)
    pub fn slice(&self, start: &Value<'py>, stop: &Value<'py>, step: &Value<'py>) -> Value<'py> {
        for v in [self, start, stop, step] {
            if let Value::Poison(_) = v {
                return v.clone();
            }
        }
        if let Value::Undefined(n) = self {
            return poison(format!("'{n}' is undefined"));
        }
        pyrefs::with_py(|py| {
            let parts = (|| -> PyResult<_> {
                let slice = pyrefs::builtin(py, "slice")?.call1((
                    to_py(py, start)?,
                    to_py(py, stop)?,
                    to_py(py, step)?,
                ))?;
                Ok((to_py(py, self)?, slice))
            })();
            // Jinja compiles slices to a plain subscript, bypassing `Environment.getitem`.
            match parts.and_then(|(obj, slice)| obj.get_item(slice)) {
                Ok(v) => from_py(v),
                Err(e) => py_err(e),
            }
        })
    }

    /// `v(args…)` (Jinja's `Context.call`: `pass_context`/`pass_eval_context`/
    /// `pass_environment` callables get their first argument).
    pub fn call(&self, args: Args<'py>) -> Value<'py> {
        if let Some(p) = args.poison() {
            return p;
        }
        match self {
            Value::Poison(_) => self.clone(),
            Value::Undefined(n) => poison(format!("'{n}' is undefined")),
            Value::LoopMethod(l, m) => l.call(*m, args),
            Value::Py(obj) => {
                let py = obj.py();
                let mut callee = obj.clone();
                // Jinja: "allow callable classes to take a context".
                if let Ok(Some(call)) = obj.getattr_opt(pyo3::intern!(py, "__call__")) {
                    if pass_arg(&call).is_some() {
                        callee = call;
                    }
                }
                let prefix = match pass_arg(&callee) {
                    Some(kind) => match context::pass_arg_value(py, kind) {
                        Ok(v) => Some(v),
                        Err(e) => return py_err(e),
                    },
                    None => None,
                };
                let (pos, kw) = match to_py_args(py, prefix, None, &args) {
                    Ok(a) => a,
                    Err(e) => return py_err(e),
                };
                match callee.call(pos, kw.as_ref()) {
                    Ok(v) => from_py(v),
                    Err(e) if e.is_instance_of::<PyStopIteration>(py) => Value::Undefined(""),
                    Err(e) => py_err(e),
                }
            }
            _ => poison(format!("'{}' object is not callable", self.type_name())),
        }
    }

    /// Python truth (poison records its error and is false).
    pub fn truthy(&self) -> bool {
        match self.try_truthy() {
            Ok(b) => b,
            Err(e) => {
                context::record(&e);
                false
            }
        }
    }

    /// Python truth, or the poison's message.
    pub(crate) fn try_truthy(&self) -> Result<bool, Rc<str>> {
        Ok(match self {
            Value::Undefined(_) | Value::None => false,
            Value::Poison(e) => return Err(e.clone()),
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) | Value::Markup(s) => !s.is_empty(),
            Value::List(v) | Value::Tuple(v) => !v.is_empty(),
            Value::Dict(v) => !v.is_empty(),
            Value::Py(obj) => obj.is_truthy().map_err(|e| Rc::from(e.to_string()))?,
            Value::Loop(_) | Value::LoopMethod(..) => true,
        })
    }

    /// The text of a plain (non-Markup) string value, native or Python `str` exactly.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Py(obj) if obj.is_exact_instance_of::<PyString>() => {
                obj.cast::<PyString>().ok()?.to_str().ok()
            }
            _ => None,
        }
    }

    /// Python's `type(v).__name__` for native values (error messages only).
    pub(crate) fn type_name(&self) -> String {
        match self {
            Value::Undefined(_) => "Undefined",
            Value::Poison(_) => "poison",
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Markup(_) => "Markup",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(_) => "dict",
            Value::Loop(_) => "LoopContext",
            Value::LoopMethod(..) => "method",
            Value::Py(obj) => {
                return obj
                    .get_type()
                    .name()
                    .map_or_else(|_| "object".into(), |n| n.to_string())
            }
        }
        .into()
    }

    pub(crate) fn is_poison(&self) -> bool {
        matches!(self, Value::Poison(_))
    }
}

fn is_dict_attr(name: &str) -> bool {
    name.starts_with("__") || DICT_ATTRS.contains(&name)
}

/// Native dict keys found without Python: strings and ints compare as Python does.
fn native_key_eq(k: &Value<'_>, key: &Value<'_>) -> bool {
    match (k, key) {
        (Value::Int(a), Value::Int(b)) => a == b,
        _ => matches!((k.as_str(), key.as_str()), (Some(a), Some(b)) if a == b),
    }
}

/// `jinja2.utils._PassArg.from_obj(obj)`: the `jinja_pass_arg` marker's name, if any.
pub(crate) fn pass_arg(obj: &Bound<'_, PyAny>) -> Option<context::PassArg> {
    let py = obj.py();
    let marker = obj
        .getattr_opt(pyo3::intern!(py, "jinja_pass_arg"))
        .ok()??;
    let name = marker.getattr(pyo3::intern!(py, "name")).ok()?;
    match name.cast::<PyString>().ok()?.to_str().ok()? {
        "context" => Some(context::PassArg::Context),
        "eval_context" => Some(context::PassArg::EvalContext),
        "environment" => Some(context::PassArg::Environment),
        _ => None,
    }
}

/// `Environment.getattr(obj, name)`.
pub(crate) fn py_getattr<'py>(obj: &Bound<'py, PyAny>, name: &str) -> Value<'py> {
    let py = obj.py();
    if let Ok(d) = obj.cast_exact::<PyDict>() {
        if !is_dict_attr(name) {
            return match d.get_item(name) {
                Ok(Some(v)) => from_py(v),
                Ok(None) => Value::Undefined(""),
                Err(e) => py_err(e),
            };
        }
    }
    match obj.getattr(name) {
        Ok(v) => from_py(v),
        Err(e) if e.is_instance_of::<PyAttributeError>(py) => match obj.get_item(name) {
            Ok(v) => from_py(v),
            Err(e)
                if e.is_instance_of::<PyTypeError>(py)
                    || e.is_instance_of::<PyLookupError>(py)
                    || e.is_instance_of::<PyAttributeError>(py) =>
            {
                Value::Undefined("")
            }
            Err(e) => py_err(e),
        },
        Err(e) => py_err(e),
    }
}

/// `Environment.getitem(obj, key)`.
pub(crate) fn py_getitem<'py>(obj: &Bound<'py, PyAny>, key: &Bound<'py, PyAny>) -> Value<'py> {
    let py = obj.py();
    match obj.get_item(key) {
        Ok(v) => from_py(v),
        Err(e)
            if e.is_instance_of::<PyTypeError>(py)
                || e.is_instance_of::<PyLookupError>(py)
                || e.is_instance_of::<PyAttributeError>(py) =>
        {
            if !key.is_instance_of::<PyString>() {
                return Value::Undefined("");
            }
            let name = match key.str() {
                Ok(s) => s,
                Err(_) => return Value::Undefined(""),
            };
            match obj.getattr(&name) {
                Ok(v) => from_py(v),
                Err(e) if e.is_instance_of::<PyAttributeError>(py) => Value::Undefined(""),
                Err(e) => py_err(e),
            }
        }
        Err(e) => py_err(e),
    }
}

impl<'py> Args<'py> {
    /// The first poisoned argument, if any (Jinja evaluates arguments before the call).
    pub(crate) fn poison(&self) -> Option<Value<'py>> {
        self.pos
            .iter()
            .chain(self.kw.iter().map(|(_, v)| v))
            .find(|v| v.is_poison())
            .cloned()
    }
}
