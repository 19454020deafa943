//! Jinja's built-in tests implemented natively (others go through [`Context::test`]).
//!
//! Names that are Rust keywords are called as raw identifiers: `t::tests::r#in`,
//! `t::tests::r#true`, `t::tests::r#false`. Python objects whose answer needs Python's type
//! machinery (`numbers.Number`, `abc.Mapping`, …) are asked through Jinja's own test.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

use super::context;
use super::format::{has_html, str_text};
use super::ops;
use super::pyrefs;
use super::{Args, Context, Value};

macro_rules! native {
    ($($(#[$doc:meta])* $name:ident $(as $jinja:literal)? => $imp:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name<'py>(ctx: &Context<'py>, v: &Value<'py>, args: Args<'py>) -> bool {
                let poisoned = if v.is_poison() { Some(v.clone()) } else { args.poison() };
                if let Some(Value::Poison(e)) = poisoned {
                    context::record(&e);
                    return false;
                }
                let jinja = native!(@name $name $($jinja)?);
                match $imp(v, &args) {
                    Some(Ok(r)) => r,
                    Some(Err(e)) => {
                        context::record(&e);
                        false
                    }
                    None => ctx.test(jinja, v, args),
                }
            }
        )*
        /// Names the translator may call as `t::tests::<name>` (`r#` for keywords).
        pub const NATIVE: &[&str] = &[$(native!(@name $name $($jinja)?)),*];
        /// The native tests by Jinja name (test helpers dispatch through it).
        pub static TABLE: &[(&str, TestFn)] = &[$((native!(@name $name $($jinja)?), $name)),*];
    };
    (@name $name:ident $jinja:literal) => { $jinja };
    (@name $name:ident) => { stringify!($name) };
}

native! {
    /// `defined`
    defined => defined_;
    /// `undefined`
    undefined => undefined_;
    /// `none`
    none => none_;
    /// `boolean`
    boolean => boolean_;
    /// `true`
    r#true as "true" => true_;
    /// `false`
    r#false as "false" => false_;
    /// `integer`
    integer => integer_;
    /// `float`
    float => float_;
    /// `number`
    number => number_;
    /// `string`
    string => string_;
    /// `mapping`
    mapping => mapping_;
    /// `sequence`
    sequence => sequence_;
    /// `iterable`
    iterable => iterable_;
    /// `callable`
    callable => callable_;
    /// `sameas(other)`
    sameas => sameas_;
    /// `escaped`
    escaped => escaped_;
    /// `lower`
    lower => lower_;
    /// `upper`
    upper => upper_;
    /// `odd`
    odd => odd_;
    /// `even`
    even => even_;
    /// `divisibleby(num)`
    divisibleby => divisibleby_;
    /// `eq(other)` (also `==`, `equalto`)
    eq => eq_;
    /// `equalto(other)`
    equalto => eq_;
    /// `ne(other)` (also `!=`)
    ne => ne_;
    /// `lt(other)` (also `<`, `lessthan`)
    lt => lt_;
    /// `lessthan(other)`
    lessthan => lt_;
    /// `le(other)` (also `<=`)
    le => le_;
    /// `gt(other)` (also `>`, `greaterthan`)
    gt => gt_;
    /// `greaterthan(other)`
    greaterthan => gt_;
    /// `ge(other)` (also `>=`)
    ge => ge_;
    /// `in(seq)`
    r#in as "in" => in_;
}

/// A native test.
pub type TestFn = for<'py> fn(&Context<'py>, &Value<'py>, Args<'py>) -> bool;

type Answer = Option<Result<bool, std::rc::Rc<str>>>;

fn yes(b: bool) -> Answer {
    Some(Ok(b))
}

fn no_args(args: &Args<'_>) -> Option<()> {
    (args.pos.is_empty() && args.kw.is_empty()).then_some(())
}

/// The one argument of a comparison-like test (`other`, `num`, `seq`).
fn one_arg<'a, 'py>(args: &'a Args<'py>) -> Option<&'a Value<'py>> {
    match (args.pos.as_slice(), args.kw.as_slice()) {
        ([v], []) => Some(v),
        _ => None,
    }
}

/// `isinstance(v, jinja2.Undefined)`.
pub(crate) fn is_undefined(v: &Value<'_>) -> bool {
    match v {
        Value::Undefined(_) => true,
        Value::Py(obj) => pyrefs::undefined(obj.py())
            .and_then(|u| obj.is_instance(u))
            .unwrap_or(false),
        _ => false,
    }
}

fn defined_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    yes(!is_undefined(v))
}

fn undefined_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    yes(is_undefined(v))
}

fn none_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    yes(matches!(v, Value::None))
}

fn boolean_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    yes(matches!(v, Value::Bool(_)))
}

fn true_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    yes(matches!(v, Value::Bool(true)))
}

fn false_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    yes(matches!(v, Value::Bool(false)))
}

fn integer_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    yes(match v {
        Value::Int(_) => true,
        Value::Py(obj) => obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>(),
        _ => false,
    })
}

fn float_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    yes(match v {
        Value::Float(_) => true,
        Value::Py(obj) => obj.is_instance_of::<PyFloat>(),
        _ => false,
    })
}

fn number_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    match v {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => yes(true),
        Value::Py(_) => None,
        _ => yes(false),
    }
}

fn string_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    yes(match v {
        Value::Str(_) | Value::Markup(_) => true,
        Value::Py(obj) => obj.is_instance_of::<PyString>(),
        _ => false,
    })
}

fn mapping_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    match v {
        Value::Dict(_) => yes(true),
        Value::Py(obj) if obj.is_instance_of::<PyDict>() => yes(true),
        Value::Py(_) => None,
        _ => yes(false),
    }
}

fn sequence_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    match v {
        Value::Str(_) | Value::Markup(_) | Value::List(_) | Value::Tuple(_) | Value::Dict(_) => {
            yes(true)
        }
        // len(Undefined) is 0 and it has a __getitem__ (that raises when called).
        Value::Undefined(_) => yes(true),
        Value::Py(_) | Value::Loop(_) => None,
        _ => yes(false),
    }
}

fn iterable_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    yes(match v {
        Value::Py(obj) => obj.try_iter().is_ok(),
        Value::Str(_)
        | Value::Markup(_)
        | Value::List(_)
        | Value::Tuple(_)
        | Value::Dict(_)
        | Value::Undefined(_)
        | Value::Loop(_) => true,
        _ => false,
    })
}

fn callable_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    yes(match v {
        Value::Py(obj) => obj.is_callable(),
        // Undefined and LoopContext define __call__.
        Value::Undefined(_) | Value::Loop(_) | Value::LoopMethod(..) => true,
        _ => false,
    })
}

fn sameas_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    let other = one_arg(args)?;
    match (v, other) {
        (Value::None, Value::None) => yes(true),
        (Value::Bool(a), Value::Bool(b)) => yes(a == b),
        (Value::None | Value::Bool(_), _) | (_, Value::None | Value::Bool(_)) => yes(false),
        (Value::Py(a), Value::Py(b)) => yes(a.is(b)),
        // Identity of native numbers and strings is not observable here: ask Python.
        _ => None,
    }
}

fn escaped_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    yes(match v {
        Value::Markup(_) => true,
        Value::Py(obj) => has_html(obj),
        _ => false,
    })
}

/// `str(v).islower()` / `isupper()` for ASCII text: some cased letter, none of the other case.
fn case_test<'py>(v: &Value<'py>, args: &Args<'py>, lower: bool) -> Answer {
    no_args(args)?;
    let s = match str_text(v) {
        Ok(s) => s,
        Err(e) => return Some(Err(e)),
    };
    if !s.is_ascii() {
        return None;
    }
    let (mut want, mut other) = (false, false);
    for b in s.bytes() {
        want |= if lower {
            b.is_ascii_lowercase()
        } else {
            b.is_ascii_uppercase()
        };
        other |= if lower {
            b.is_ascii_uppercase()
        } else {
            b.is_ascii_lowercase()
        };
    }
    yes(want && !other)
}

fn lower_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    case_test(v, args, true)
}

fn upper_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    case_test(v, args, false)
}

fn truth(v: Value<'_>) -> Answer {
    Some(v.try_truthy())
}

fn odd_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    truth(ops::eq(&ops::rem(v, &Value::Int(2)), &Value::Int(1)))
}

fn even_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    no_args(args)?;
    truth(ops::eq(&ops::rem(v, &Value::Int(2)), &Value::Int(0)))
}

fn divisibleby_<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
    let num = one_arg(args)?;
    truth(ops::eq(&ops::rem(v, num), &Value::Int(0)))
}

macro_rules! compare_test {
    ($name:ident, $op:ident) => {
        fn $name<'py>(v: &Value<'py>, args: &Args<'py>) -> Answer {
            truth(ops::$op(v, one_arg(args)?))
        }
    };
}
compare_test!(eq_, eq);
compare_test!(ne_, ne);
compare_test!(lt_, lt);
compare_test!(le_, le);
compare_test!(gt_, gt);
compare_test!(ge_, ge);
compare_test!(in_, contains);
