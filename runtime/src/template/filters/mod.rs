//! Jinja's built-in filters implemented natively (others go through [`Context::filter`]).
//!
//! Each filter handles natively the inputs whose Jinja result is certain (ASCII text for the
//! case filters, whose Unicode tables are Python's; simple argument shapes) and hands anything
//! else to Jinja's own Python filter through [`Context::filter`], so an unusual input costs speed,
//! never correctness. Poisoned inputs give poison.

use pyo3::prelude::*;
use pyo3::types::PyString;

use super::convert::{from_py, py_err, to_py};
use super::format::{str_text, Text};
use super::tests::is_undefined;
use super::{Args, Context, Value};

mod num;
mod seq;
mod text;

use num::*;
use seq::*;
use text::*;

macro_rules! native {
    ($($(#[$doc:meta])* $name:ident => $imp:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name<'py>(ctx: &Context<'py>, v: &Value<'py>, args: Args<'py>) -> Value<'py> {
                if v.is_poison() {
                    return v.clone();
                }
                if let Some(p) = args.poison() {
                    return p;
                }
                match $imp(ctx, v, &args) {
                    Some(r) => r,
                    None => ctx.filter(stringify!($name), v, args),
                }
            }
        )*
        /// Names the translator may call as `t::filters::<name>`.
        pub const NATIVE: &[&str] = &[$(stringify!($name)),*];
        /// The native filters by name (test helpers dispatch through it).
        pub static TABLE: &[(&str, FilterFn)] = &[$((stringify!($name), $name)),*];
    };
}

native! {
    /// `safe`: `Markup(value)`.
    safe => safe_;
    /// `escape`: `markupsafe.escape(value)`.
    escape => escape_;
    /// `e`: `escape`.
    e => escape_;
    /// `forceescape`: escape even a `Markup`.
    forceescape => forceescape_;
    /// `length`: `len(value)`.
    length => length_;
    /// `count`: `length`.
    count => length_;
    /// `upper`
    upper => upper_;
    /// `lower`
    lower => lower_;
    /// `title`
    title => title_;
    /// `capitalize`
    capitalize => capitalize_;
    /// `trim(chars=None)`
    trim => trim_;
    /// `default(default_value="", boolean=False)`
    default => default_;
    /// `d`: `default`.
    d => default_;
    /// `join(d="", attribute=None)`, autoescape-aware like Jinja's.
    join => join_;
    /// `replace(old, new, count=None)`, autoescape-aware like Jinja's.
    replace => replace_;
    /// `first`
    first => first_;
    /// `last`
    last => last_;
    /// `int(default=0, base=10)`
    int => int_;
    /// `float(default=0.0)`
    float => float_;
    /// `string`: `soft_str(value)`.
    string => string_;
    /// `list`
    list => list_;
    /// `abs`
    abs => abs_;
    /// `round(precision=0, method="common")`
    round => round_;
    /// `center(width=80)`
    center => center_;
    /// `sum(attribute=None, start=0)`
    sum => sum_;
    /// `wordcount`
    wordcount => wordcount_;
    /// `truncate(length=255, killwords=False, end="...", leeway=None)`
    truncate => truncate_;
    /// `items`
    items => items_;
    /// `dictsort(case_sensitive=False, by="key", reverse=False)`
    dictsort => dictsort_;
    /// `sort(reverse=False, case_sensitive=False, attribute=None)`
    sort => sort_;
    /// `min(case_sensitive=False, attribute=None)`
    min => min_;
    /// `max(case_sensitive=False, attribute=None)`
    max => max_;
    /// `attr(name)`
    attr => attr_;
    /// `tojson`: always the environment's (Flask replaces Jinja's JSON policy with `app.json`).
    tojson => tojson_;
}

/// A native filter.
pub type FilterFn = for<'py> fn(&Context<'py>, &Value<'py>, Args<'py>) -> Value<'py>;

pub(super) type Native<'py> = Option<Value<'py>>;

/// The filter's arguments after the value, by position or keyword, for parameters `names`;
/// `None` when they do not fit (then Jinja's own function raises the right error).
pub(super) fn params<'a, 'py, const N: usize>(
    args: &'a Args<'py>,
    names: [&str; N],
) -> Option<[Option<&'a Value<'py>>; N]> {
    if args.pos.len() > N {
        return None;
    }
    let mut out = [None; N];
    for (i, v) in args.pos.iter().enumerate() {
        out[i] = Some(v);
    }
    for (k, v) in &args.kw {
        let i = names.iter().position(|n| n == k)?;
        if out[i].replace(v).is_some() {
            return None;
        }
    }
    Some(out)
}

pub(super) fn no_args(args: &Args<'_>) -> Option<()> {
    (args.pos.is_empty() && args.kw.is_empty()).then_some(())
}

pub(super) fn markup<'py>(s: impl Into<String>) -> Value<'py> {
    Value::Markup(s.into().into())
}

pub(super) fn plain<'py>(s: impl Into<String>) -> Value<'py> {
    Value::Str(s.into().into())
}

/// A plain text result keeping `Markup` (what a `Markup` method returns).
pub(super) fn like<'py>(t: &Text<'_>, s: String) -> Value<'py> {
    if t.is_markup() {
        markup(s)
    } else {
        plain(s)
    }
}

pub(super) fn int_arg(v: Option<&Value<'_>>, default: i64) -> Option<i64> {
    match v {
        None => Some(default),
        Some(Value::Int(i)) => Some(*i),
        Some(Value::Bool(b)) => Some(*b as i64),
        _ => None,
    }
}

pub(super) fn default_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [default, boolean] = params(args, ["default_value", "boolean"])?;
    let use_default = is_undefined(v)
        || match boolean {
            Some(b) if b.truthy() => !v.truthy(),
            _ => false,
        };
    Some(if use_default {
        default.cloned().unwrap_or_else(|| Value::str(""))
    } else {
        v.clone()
    })
}

pub(super) fn string_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    no_args(args)?;
    Some(match v {
        Value::Str(_) | Value::Markup(_) => v.clone(),
        Value::Py(obj) if obj.is_instance_of::<PyString>() => v.clone(),
        _ => str_text(v).map_or_else(Value::Poison, |s| plain(s.into_owned())),
    })
}

pub(super) fn attr_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [name] = params(args, ["name"])?;
    let name = name?.as_str()?;
    let py = match v {
        Value::Py(obj) => obj.py(),
        _ => return None,
    };
    let obj = to_py(py, v).ok()?;
    Some(match obj.getattr(name) {
        Ok(r) => from_py(r),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyAttributeError>(py) => {
            Value::Undefined("")
        }
        Err(e) => py_err(e),
    })
}

pub(super) fn tojson_<'py>(_: &Context<'py>, _: &Value<'py>, _: &Args<'py>) -> Native<'py> {
    None
}
