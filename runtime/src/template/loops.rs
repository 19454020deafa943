//! `{% for %}`: [`iterate`] and the loop state Jinja calls `loop` (`jinja2.runtime.LoopContext`).
//!
//! The sequence is read into a vector before the first iteration: `loop.length`, `revindex`,
//! `last` and `nextitem` need it, and Python sequences are cheap to copy by reference.
//! Each iteration's `loop` carries its own index: askama's `for` peeks one item ahead (for its
//! own `loop.last`), so state advanced by the iterator would run ahead of the body.

use std::cell::RefCell;
use std::rc::Rc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use super::context;
use super::convert::{from_py, poison};
use super::ops;
use super::{Args, Value};

/// A loop's items.
pub struct LoopState<'py> {
    items: Vec<Value<'py>>,
    /// `loop.changed`'s last arguments (`None` before the first call).
    last_changed: RefCell<Option<Vec<Value<'py>>>>,
}

/// The callable attributes of `loop`.
#[derive(Clone, Copy, Debug)]
pub enum LoopMethod {
    Cycle,
    Changed,
}

/// `loop` in one iteration: the loop's items and this iteration's index.
#[derive(Clone)]
pub struct LoopRef<'py> {
    state: Rc<LoopState<'py>>,
    index0: usize,
}

impl<'py> LoopRef<'py> {
    pub(crate) fn attr(&self, name: &str) -> Value<'py> {
        let i = self.index0;
        let n = self.state.items.len();
        let int = |x: usize| Value::Int(x as i64);
        match name {
            "index0" => int(i),
            "index" => int(i + 1),
            "revindex" => int(n - i),
            "revindex0" => int(n - i - 1),
            "first" => Value::Bool(i == 0),
            "last" => Value::Bool(i + 1 == n),
            "length" => int(n),
            "depth" => Value::Int(1),
            "depth0" => Value::Int(0),
            "previtem" => match i.checked_sub(1) {
                Some(p) => self.state.items[p].clone(),
                None => Value::Undefined("previtem"),
            },
            "nextitem" => self
                .state
                .items
                .get(i + 1)
                .cloned()
                .unwrap_or(Value::Undefined("nextitem")),
            "cycle" => Value::LoopMethod(self.clone(), LoopMethod::Cycle),
            "changed" => Value::LoopMethod(self.clone(), LoopMethod::Changed),
            // Not an attribute of LoopContext (nor an item): Jinja gives Undefined.
            _ => Value::Undefined(""),
        }
    }

    pub(crate) fn call(&self, method: LoopMethod, args: Args<'py>) -> Value<'py> {
        if !args.kw.is_empty() {
            return poison("loop methods take no keyword arguments");
        }
        match method {
            LoopMethod::Cycle => {
                if args.pos.is_empty() {
                    return poison("TypeError: no items for cycling given");
                }
                args.pos[self.index0 % args.pos.len()].clone()
            }
            LoopMethod::Changed => {
                let mut last = self.state.last_changed.borrow_mut();
                let same = match last.as_ref() {
                    None => false,
                    Some(prev) => {
                        prev.len() == args.pos.len()
                            && prev.iter().zip(&args.pos).all(|(a, b)| {
                                // Tuple equality: `a is b or a == b`; a failing `==` is poison
                                // (recorded by `truthy`).
                                ops::eq(a, b).truthy()
                            })
                    }
                };
                if same {
                    Value::Bool(false)
                } else {
                    *last = Some(args.pos);
                    Value::Bool(true)
                }
            }
        }
    }

    /// `repr(loop)`: `<LoopContext 1/3>`.
    pub(crate) fn repr(&self) -> String {
        format!(
            "<LoopContext {}/{}>",
            self.index0 + 1,
            self.state.items.len()
        )
    }
}

/// The items a `for` walks over, or the error Jinja would raise.
pub(crate) fn items<'py>(seq: &Value<'py>) -> Result<Vec<Value<'py>>, Rc<str>> {
    Ok(match seq {
        Value::Undefined(_) => Vec::new(),
        Value::Poison(e) => return Err(e.clone()),
        Value::List(v) | Value::Tuple(v) => v.as_ref().clone(),
        Value::Dict(v) => v.iter().map(|(k, _)| k.clone()).collect(),
        // A Markup's characters are plain strings (str iteration), like Python's.
        Value::Str(s) | Value::Markup(s) => s
            .chars()
            .map(|c| Value::Str(c.to_string().into()))
            .collect(),
        Value::Py(obj) => {
            if let Ok(list) = obj.cast_exact::<PyList>() {
                list.iter().map(from_py).collect()
            } else if let Ok(tuple) = obj.cast_exact::<PyTuple>() {
                tuple.iter().map(from_py).collect()
            } else if let Ok(dict) = obj.cast_exact::<PyDict>() {
                dict.keys().iter().map(from_py).collect()
            } else {
                let it = obj.try_iter().map_err(|e| Rc::from(e.to_string()))?;
                it.map(|r| r.map(from_py))
                    .collect::<PyResult<Vec<_>>>()
                    .map_err(|e| Rc::from(e.to_string()))?
            }
        }
        other => {
            return Err(format!("TypeError: '{}' object is not iterable", other.type_name()).into())
        }
    })
}

/// `{% for x in seq %}`: `(loop, x)` pairs. Iterating `Undefined` yields nothing; iterating
/// what is not iterable records the error and yields nothing.
pub fn iterate<'py>(seq: &Value<'py>) -> impl Iterator<Item = (Value<'py>, Value<'py>)> {
    let items = match items(seq) {
        Ok(items) => items,
        Err(e) => {
            context::record(&e);
            Vec::new()
        }
    };
    let state = Rc::new(LoopState {
        items,
        last_changed: RefCell::new(None),
    });
    let n = state.items.len();
    (0..n).map(move |index0| {
        let item = state.items[index0].clone();
        let state = state.clone();
        (Value::Loop(LoopRef { state, index0 }), item)
    })
}
