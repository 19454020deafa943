//! Run-time support for Jinja templates compiled to askama by `bustapi build`.
//!
//! THE CONTRACT between the translator (`compiler/src/jinja/`) and this module. The translator
//! emits askama templates whose expressions call only what is listed here; this module gives those
//! calls Jinja2's semantics. Every Jinja value is a [`Value`]: native for literals and loop state,
//! a borrowed Python object (`Bound<'py, PyAny>`) for everything that came from the view's context,
//! so attribute access, method calls and Python-defined filters keep Python's semantics exactly.
//!
//! Generated code (`src/templates.rs` of a built project) looks like:
//!
//! ```ignore
//! use bustapi_runtime::template as t;
//!
//! #[derive(askama::Template)]
//! #[template(path = "index.html", escape = "none")]
//! pub struct Index<'a, 'py> {
//!     pub ctx: &'a t::Context<'py>,
//! }
//! // registry: ("index.html", |ctx| t::render(&Index { ctx }))
//! ```
//!
//! and an askama template body such as (Jinja `{{ user.name|upper }}{% for x in items %}…`):
//!
//! ```text
//! {{ ctx.out(&t::filters::upper(ctx, &ctx.get("user").attr("name"), t::Args::new([], []))) }}
//! {% for (jloop, j_x) in t::iterate(&ctx.get("items")) %}{{ ctx.out(&jloop.attr("index")) }}{% endfor %}
//! ```
//!
//! Rules of the contract:
//! - Locals (for targets, `set`, macro parameters) are askama locals named `j_<name>`; every
//!   other name is `ctx.get("name")` (the render context, then the environment's globals; a
//!   missing name is `Undefined`).
//! - Literals: [`Value::none`], [`Value::bool`], [`Value::int`], [`Value::float`], [`Value::str`]
//!   (`&'static str`), [`Value::list`] (array literal), [`Value::tuple`], [`Value::dict`] (array of
//!   `(key, value)` tuples).
//! - Errors are *poison*, not panics: an operation Jinja would raise on (attribute of `Undefined`,
//!   calling a non-callable, a Python exception) returns `Value::Poison`; operations on poison
//!   give poison; printing it, iterating it or asking its truth records the error in the render's
//!   error slot. [`render`] returns `Err` if the slot is set, and the Python side then renders the
//!   same template with Jinja2 — so the user sees Jinja2's own exception. Poison lets eager value
//!   expressions (`a or b`, `x if c else y`) behave like Jinja's lazy ones when the unused side
//!   would fail.
//! - Boolean contexts (`if`, `elif`, `not`, `and`/`or` inside a condition) use `.truthy()` with
//!   askama's `&&`/`||`/`!`, which short-circuit. Value contexts use [`ops::and`]/[`ops::or`].
//! - Output: `{{ ctx.out(&v) }}` escapes when the render autoescapes (MarkupSafe's rules, byte
//!   for byte); inside `{% autoescape true/false %}` the translator emits `t::escaped(&v)` /
//!   `t::unescaped(&v)`.
//! - Filters: `t::filters::<name>(ctx, &value, t::Args::new([pos…], [("kw", v)…]))` for the
//!   built-ins this module implements natively ([`filters::NATIVE`]); any other filter name is
//!   `ctx.filter("name", &value, args)` (the environment's filter, Python-defined or Jinja's own).
//! - Tests: `t::tests::<name>(ctx, &value, args) -> bool` for [`tests::NATIVE`], else
//!   `ctx.test("name", &value, args) -> bool`.
//! - Loops: `{% for (jloop, j_x) in t::iterate(&seq) %}`; `loop.<attr>` is `jloop.attr("<attr>")`,
//!   `loop.cycle(a, b)` is `jloop.attr("cycle").call(args)`; unpacking targets (`for k, v in …`)
//!   are `{% let j_k = j_x.item(&t::Value::int(0)) %}`… inside the body (Jinja unpacks any
//!   2-sequence). for-else is askama's `{% else %}` (taken when the iterator is empty).
//!
//! The body of every function below is the runtime helper's job; signatures are fixed.

use std::fmt;

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A Jinja value during a render.
#[derive(Clone)]
pub enum Value<'py> {
    /// A name that is not defined (prints as "", is false, iterates as empty).
    Undefined(&'static str),
    /// An error that surfaces when the value is used (see the module docs).
    Poison(std::rc::Rc<str>),
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(std::rc::Rc<str>),
    /// A `Markup` string (not escaped again on output).
    Markup(std::rc::Rc<str>),
    List(std::rc::Rc<Vec<Value<'py>>>),
    Tuple(std::rc::Rc<Vec<Value<'py>>>),
    Dict(std::rc::Rc<Vec<(Value<'py>, Value<'py>)>>),
    /// Any Python object.
    Py(Bound<'py, PyAny>),
}

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
    pub fn list<const N: usize>(items: [Value<'py>; N]) -> Self {
        Value::List(std::rc::Rc::new(items.into()))
    }
    pub fn tuple<const N: usize>(items: [Value<'py>; N]) -> Self {
        Value::Tuple(std::rc::Rc::new(items.into()))
    }
    pub fn dict<const N: usize>(items: [(Value<'py>, Value<'py>); N]) -> Self {
        Value::Dict(std::rc::Rc::new(items.into()))
    }
    /// `v.name` (Jinja's `getattr`: attribute, then item).
    pub fn attr(&self, _name: &str) -> Value<'py> {
        todo!()
    }
    /// `v[key]` (Jinja's `getitem`: item, then attribute for string keys).
    pub fn item(&self, _key: &Value<'py>) -> Value<'py> {
        todo!()
    }
    /// `v[start:stop:step]`; absent parts are `Value::None`.
    pub fn slice(&self, _start: &Value<'py>, _stop: &Value<'py>, _step: &Value<'py>) -> Value<'py> {
        todo!()
    }
    /// `v(args…)`.
    pub fn call(&self, _args: Args<'py>) -> Value<'py> {
        todo!()
    }
    /// Python truth (poison records its error and is false).
    pub fn truthy(&self) -> bool {
        todo!()
    }
}

/// Positional and keyword arguments of a call, filter or test.
pub struct Args<'py> {
    pub pos: Vec<Value<'py>>,
    pub kw: Vec<(&'static str, Value<'py>)>,
}

impl<'py> Args<'py> {
    pub fn new<const P: usize, const K: usize>(
        pos: [Value<'py>; P],
        kw: [(&'static str, Value<'py>); K],
    ) -> Self {
        Args {
            pos: pos.into(),
            kw: kw.into(),
        }
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
}

impl<'py> Context<'py> {
    /// A name not bound in the template.
    pub fn get(&self, _name: &'static str) -> Value<'py> {
        todo!()
    }
    /// `{{ v }}`: the value as text, escaped when the render autoescapes.
    pub fn out<'a>(&'a self, _v: &'a Value<'py>) -> impl fmt::Display + 'a {
        ""
    }
    /// A filter this module does not implement natively.
    pub fn filter(&self, _name: &'static str, _v: &Value<'py>, _args: Args<'py>) -> Value<'py> {
        todo!()
    }
    /// A test this module does not implement natively.
    pub fn test(&self, _name: &'static str, _v: &Value<'py>, _args: Args<'py>) -> bool {
        todo!()
    }
}

/// `{{ v }}` inside `{% autoescape true %}`.
pub fn escaped<'a, 'py>(_v: &'a Value<'py>) -> impl fmt::Display + 'a {
    ""
}

/// `{{ v }}` inside `{% autoescape false %}`.
pub fn unescaped<'a, 'py>(_v: &'a Value<'py>) -> impl fmt::Display + 'a {
    ""
}

/// The loop state Jinja calls `loop`, exposed as a `Value` (its `attr`s: index, index0, revindex,
/// revindex0, first, last, length, previtem, nextitem, depth, depth0, cycle, changed).
pub fn iterate<'py>(_seq: &Value<'py>) -> impl Iterator<Item = (Value<'py>, Value<'py>)> {
    std::iter::empty()
}

/// What a built project registers per compiled template (its `src/templates.rs` holds a
/// `pub static REGISTRY: &[(&str, t::RenderFn)]`, the Jinja name of each template and a function
/// rendering its askama struct through [`render`]).
pub type RenderFn = for<'a, 'py> fn(&'a Context<'py>) -> Result<String, String>;

/// Renders a compiled template, mapping a recorded error (or an askama error) to `Err`.
pub fn render<T: askama::Template>(_template: &T) -> Result<String, String> {
    todo!()
}

/// Value-context operators: each takes operands by reference and returns a `Value`.
pub mod ops {
    use super::Value;

    macro_rules! binary {
        ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
            $(#[$doc])*
            pub fn $name<'py>(_a: &Value<'py>, _b: &Value<'py>) -> Value<'py> { todo!() }
        )*};
    }
    binary!(
        /// `a + b`
        add, /// `a - b`
        sub, /// `a * b`
        mul, /// `a / b`
        div, /// `a // b`
        floordiv, /// `a % b` (also string `%` formatting)
        rem, /// `a ** b`
        pow, /// `a ~ b` (string concatenation)
        concat, /// `a == b`
        eq, /// `a != b`
        ne, /// `a < b`
        lt, /// `a <= b`
        le, /// `a > b`
        gt, /// `a >= b`
        ge, /// `a in b`
        contains, /// `a and b` in a value context (returns an operand, as Python)
        and, /// `a or b` in a value context
        or,
    );
    /// `-a`
    pub fn neg<'py>(_a: &Value<'py>) -> Value<'py> {
        todo!()
    }
    /// `+a`
    pub fn pos<'py>(_a: &Value<'py>) -> Value<'py> {
        todo!()
    }
    /// `not a` in a value context.
    pub fn not<'py>(_a: &Value<'py>) -> Value<'py> {
        todo!()
    }
    /// `a if cond else b` (`b` is `Undefined` when Jinja's `else` is absent).
    pub fn cond<'py>(_cond: bool, _a: Value<'py>, _b: Value<'py>) -> Value<'py> {
        todo!()
    }
}

/// Jinja's built-in filters implemented natively (others go through [`Context::filter`]).
pub mod filters {
    /// Names the translator may call as `t::filters::<name>`.
    pub const NATIVE: &[&str] = &[];
}

/// Jinja's built-in tests implemented natively (others go through [`Context::test`]).
pub mod tests {
    /// Names the translator may call as `t::tests::<name>`.
    pub const NATIVE: &[&str] = &[];
}
