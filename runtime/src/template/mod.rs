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
//!   `(key, value)` tuples). Array arguments (these and [`Args::new`]'s) may be arrays or
//!   references to arrays ([`Items`]): askama compiles a template's `[a, b]` to `&[a, b]`.
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
//! - Keyword-named tests are raw identifiers: `t::tests::r#in`, `r#true`, `r#false` (their
//!   [`tests::NATIVE`] entries are the Jinja names `in`, `true`, `false`).
//! - Constructing a render (not generated code's business): [`Context::new`] starts one and
//!   dropping the context ends it; `registry::CompiledTemplates` is the Python entry point. It
//!   declines (returns `None`, so Jinja2 renders) environments whose `undefined` is not
//!   `jinja2.Undefined`, with a `finalize`, sandboxed or async.
//!
//! Where a compiled render can still differ from Jinja2 (the translator should fall back, or
//! accept the difference):
//! - `~`, `join` and `replace` follow the *render's* autoescape, not an enclosing
//!   `{% autoescape %}` block's (only output, through `t::escaped`/`t::unescaped`, sees blocks).
//! - A `pass_context` callable gets a Jinja context holding the render's variables and globals,
//!   not template-level `{% set %}` names or loop variables.
//! - `x is sameas y` on ints and strings that came from the context compares fresh Python
//!   objects (identity of exact `int`s is not kept across the native conversion).
//! - A `for` reads its whole iterable before the first iteration (Jinja reads lazily, which only
//!   shows with generators that have side effects or never end).
//! - `loop` itself passed to Python (`{{ f(loop) }}`) poisons the render, which then falls back.
//!
//! Files: `value` (the type, access, calls, truth), `convert` (to and from Python), `context`
//! (names, filters and tests by name, the error slot), `format` + `escape` (Python's `str()` and
//! MarkupSafe), `ops`, `loops`, `render`, `filters`, `tests`, `registry` (the Python class).

mod context;
mod convert;
mod escape;
pub mod filters;
mod format;
mod loops;
pub mod ops;
mod pyrefs;
pub mod registry;
mod render;
pub mod tests;
mod value;

pub use context::Context;
pub use loops::{iterate, LoopMethod, LoopRef, LoopState};
pub use registry::install;
pub use render::{escaped, render, unescaped};
pub use value::Value;

/// Positional and keyword arguments of a call, filter or test.
pub struct Args<'py> {
    pub pos: Vec<Value<'py>>,
    pub kw: Vec<(&'static str, Value<'py>)>,
}

impl<'py> Args<'py> {
    pub fn new(pos: impl Items<Value<'py>>, kw: impl Items<(&'static str, Value<'py>)>) -> Self {
        Args {
            pos: pos.into_vec(),
            kw: kw.into_vec(),
        }
    }
}

/// The array literals of the constructors: askama 0.16 compiles `[a, b]` in a template to
/// `&[a, b]`, so both arrays and references to arrays are accepted (items are cloned out of a
/// reference, which is cheap: values are reference-counted).
pub trait Items<T> {
    fn into_vec(self) -> Vec<T>;
}

impl<T, const N: usize> Items<T> for [T; N] {
    fn into_vec(self) -> Vec<T> {
        self.into()
    }
}

impl<T: Clone, const N: usize> Items<T> for &[T; N] {
    fn into_vec(self) -> Vec<T> {
        self.to_vec()
    }
}

/// What a built project registers per compiled template (its `src/templates.rs` holds a
/// `pub static REGISTRY: &[(&str, t::RenderFn)]`, the Jinja name of each template and a function
/// rendering its askama struct through [`render`]).
pub type RenderFn = for<'a, 'py> fn(&'a Context<'py>) -> Result<String, String>;
