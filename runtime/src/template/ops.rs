//! Value-context operators: each takes operands by reference and returns a `Value`.
//!
//! Numbers that are native (`int` within `i64`, `float`, `bool`) are computed in Rust with
//! Python's rules (floor division and modulo, true division); an overflow, a big int, a string or
//! any Python object goes to Python's own operator, so `Markup`, `str * int`, `list + list`,
//! `"%s" % x` and user-defined operators behave exactly as in Jinja.

use std::cmp::Ordering;

use pyo3::basic::CompareOp;
use pyo3::prelude::*;

use super::context;
use super::convert::{from_py, poison, py_err, to_py};
use super::format::{soft_text, str_text};
use super::pyrefs;
use super::Value;

/// A native number: `int` (and `bool`, an `int` in Python) or `float`.
#[derive(Clone, Copy)]
enum Num {
    I(i64),
    F(f64),
}

fn num(v: &Value<'_>) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::I(*i)),
        Value::Bool(b) => Some(Num::I(*b as i64)),
        Value::Float(f) => Some(Num::F(*f)),
        _ => None,
    }
}

/// Largest integer every `f64` conversion of which is exact: beyond it int/float mixing goes to
/// Python (which compares and divides big ints exactly).
const EXACT: i64 = 1 << 53;

fn exact_f(i: i64) -> Option<f64> {
    (-EXACT..=EXACT).contains(&i).then_some(i as f64)
}

fn both_f(a: Num, b: Num) -> Option<(f64, f64)> {
    let f = |n| match n {
        Num::I(i) => exact_f(i),
        Num::F(f) => Some(f),
    };
    Some((f(a)?, f(b)?))
}

/// The operator applied by Python (`None` from the native attempt means "ask Python").
fn python<'py>(
    a: &Value<'py>,
    b: &Value<'py>,
    op: impl FnOnce(&Bound<'py, PyAny>, &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>>,
) -> Value<'py> {
    if a.is_poison() {
        return a.clone();
    }
    if b.is_poison() {
        return b.clone();
    }
    pyrefs::with_py(|py| {
        let r = to_py(py, a).and_then(|a| to_py(py, b).and_then(|b| op(&a, &b)));
        match r {
            Ok(v) => from_py(v),
            Err(e) => py_err(e),
        }
    })
}

macro_rules! arith {
    ($name:ident, $doc:literal, $int:expr, $float:expr, $py:ident) => {
        #[doc = $doc]
        pub fn $name<'py>(a: &Value<'py>, b: &Value<'py>) -> Value<'py> {
            if let (Some(x), Some(y)) = (num(a), num(b)) {
                let native: Option<Value<'py>> = match (x, y) {
                    (Num::I(x), Num::I(y)) => $int(x, y),
                    _ => both_f(x, y).and_then(|(x, y)| $float(x, y)),
                };
                if let Some(v) = native {
                    return v;
                }
            }
            python(a, b, |a, b| a.$py(b))
        }
    };
}

fn zero_div<'py>(what: &str) -> Option<Value<'py>> {
    Some(poison(format!("ZeroDivisionError: {what}")))
}

/// Python's `float.__divmod__`.
fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let floor = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0f64.copysign(x / y)
    };
    (floor, m)
}

arith!(
    add,
    "`a + b`",
    |x: i64, y| x.checked_add(y).map(Value::Int),
    |x: f64, y: f64| Some(Value::Float(x + y)),
    add
);
arith!(
    sub,
    "`a - b`",
    |x: i64, y| x.checked_sub(y).map(Value::Int),
    |x: f64, y: f64| Some(Value::Float(x - y)),
    sub
);
arith!(
    mul,
    "`a * b`",
    |x: i64, y| x.checked_mul(y).map(Value::Int),
    |x: f64, y: f64| Some(Value::Float(x * y)),
    mul
);
arith!(
    div,
    "`a / b`",
    |x: i64, y: i64| if y == 0 {
        zero_div("division by zero")
    } else {
        // Beyond 2**53 an int is not exact as f64: Python divides such ints exactly.
        exact_f(x).zip(exact_f(y)).map(|(n, d)| Value::Float(n / d))
    },
    |x: f64, y: f64| if y == 0.0 {
        zero_div("float division by zero")
    } else {
        Some(Value::Float(x / y))
    },
    div
);
arith!(
    floordiv,
    "`a // b`",
    |x: i64, y: i64| if y == 0 {
        zero_div("integer division or modulo by zero")
    } else {
        x.checked_div(y).map(|q| {
            Value::Int(if (x % y != 0) && ((x < 0) != (y < 0)) {
                q - 1
            } else {
                q
            })
        })
    },
    |x: f64, y: f64| if y == 0.0 {
        zero_div("float floor division by zero")
    } else {
        Some(Value::Float(float_divmod(x, y).0))
    },
    floor_div
);
arith!(
    rem,
    "`a % b` (also string `%` formatting)",
    |x: i64, y: i64| if y == 0 {
        zero_div("integer modulo by zero")
    } else {
        x.checked_rem(y).map(|r| {
            Value::Int(if r != 0 && ((r < 0) != (y < 0)) {
                r + y
            } else {
                r
            })
        })
    },
    |x: f64, y: f64| if y == 0.0 {
        zero_div("float modulo")
    } else {
        Some(Value::Float(float_divmod(x, y).1))
    },
    rem
);

/// `a ** b`
pub fn pow<'py>(a: &Value<'py>, b: &Value<'py>) -> Value<'py> {
    if let (Some(Num::I(x)), Some(Num::I(y))) = (num(a), num(b)) {
        if let Some(v) = u32::try_from(y).ok().and_then(|y| x.checked_pow(y)) {
            return Value::Int(v);
        }
    }
    // Negative and float exponents: Python's float_pow has its own special cases.
    python(a, b, |a, b| a.pow(b, a.py().None()))
}

/// `a ~ b`: Jinja's `markup_join` when the render autoescapes (a `Markup` operand makes the
/// result `Markup`, escaping the other side), `str_join` otherwise.
pub fn concat<'py>(a: &Value<'py>, b: &Value<'py>) -> Value<'py> {
    let joined = if context::autoescape() {
        soft_text(a)
            .and_then(|x| soft_text(b).map(|y| (x, y)))
            .map(|(x, y)| {
                if x.is_markup() || y.is_markup() {
                    Value::Markup(format!("{}{}", x.html(), y.html()).into())
                } else {
                    Value::Str(format!("{}{}", x.as_str(), y.as_str()).into())
                }
            })
    } else {
        str_text(a).and_then(|x| str_text(b).map(|y| Value::Str(format!("{x}{y}").into())))
    };
    joined.unwrap_or_else(Value::Poison)
}

/// Native comparison where Python's result is certain without asking it.
fn native_cmp(a: &Value<'_>, b: &Value<'_>) -> Option<Option<Ordering>> {
    match (num(a), num(b)) {
        (Some(Num::I(x)), Some(Num::I(y))) => Some(Some(x.cmp(&y))),
        (Some(x), Some(y)) => both_f(x, y).map(|(x, y)| x.partial_cmp(&y)),
        _ => match (a.as_str(), b.as_str()) {
            // UTF-8 byte order is code point order, which is Python's string order.
            (Some(x), Some(y)) => Some(Some(x.cmp(y))),
            _ => None,
        },
    }
}

fn compare<'py>(a: &Value<'py>, b: &Value<'py>, op: CompareOp) -> Value<'py> {
    if let Some(ord) = native_cmp(a, b) {
        let r = match op {
            CompareOp::Eq => ord == Some(Ordering::Equal),
            CompareOp::Ne => ord != Some(Ordering::Equal),
            CompareOp::Lt => ord == Some(Ordering::Less),
            CompareOp::Le => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
            CompareOp::Gt => ord == Some(Ordering::Greater),
            CompareOp::Ge => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
        };
        return Value::Bool(r);
    }
    if matches!(op, CompareOp::Eq | CompareOp::Ne) {
        // Values of different native kinds are never equal in Python (None, numbers, str).
        let kind = |v: &Value<'_>| match v {
            Value::None => Some(0),
            Value::Int(_) | Value::Bool(_) | Value::Float(_) => Some(1),
            Value::Str(_) => Some(2),
            Value::Undefined(_) => Some(3),
            Value::Py(_) if v.as_str().is_some() => Some(2),
            _ => None,
        };
        if let (Some(x), Some(y)) = (kind(a), kind(b)) {
            let same = x == y && (x == 0 || x == 3);
            if x != y || same {
                return Value::Bool(matches!(op, CompareOp::Eq) == same);
            }
        }
    }
    python(a, b, |a, b| a.rich_compare(b, op))
}

/// The comparison operators generated code calls (`t::ops::eq(&a, &b)`…), all through
/// [`compare`].
macro_rules! comparison {
    ($($name:ident $op:ident $doc:literal),* $(,)?) => {$(
        #[doc = $doc]
        pub fn $name<'py>(a: &Value<'py>, b: &Value<'py>) -> Value<'py> {
            compare(a, b, CompareOp::$op)
        }
    )*};
}

comparison! {
    eq Eq "`a == b`",
    ne Ne "`a != b`",
    lt Lt "`a < b`",
    le Le "`a <= b`",
    gt Gt "`a > b`",
    ge Ge "`a >= b`",
}

/// `a in b`
pub fn contains<'py>(a: &Value<'py>, b: &Value<'py>) -> Value<'py> {
    if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
        return Value::Bool(y.contains(x));
    }
    python(a, b, |a, b| {
        b.contains(a)
            .map(|r| pyo3::types::PyBool::new(a.py(), r).to_owned().into_any())
    })
}

/// `a and b` in a value context (returns an operand, as Python)
pub fn and<'py>(a: &Value<'py>, b: &Value<'py>) -> Value<'py> {
    match a.try_truthy() {
        Ok(true) => b.clone(),
        Ok(false) => a.clone(),
        Err(e) => Value::Poison(e),
    }
}

/// `a or b` in a value context
pub fn or<'py>(a: &Value<'py>, b: &Value<'py>) -> Value<'py> {
    match a.try_truthy() {
        Ok(true) => a.clone(),
        Ok(false) => b.clone(),
        Err(e) => Value::Poison(e),
    }
}

/// `-a`
pub fn neg<'py>(a: &Value<'py>) -> Value<'py> {
    match num(a) {
        Some(Num::I(i)) => {
            if let Some(n) = i.checked_neg() {
                return Value::Int(n);
            }
        }
        Some(Num::F(f)) => return Value::Float(-f),
        None => {}
    }
    unary(a, |o| o.neg())
}

/// `+a`
pub fn pos<'py>(a: &Value<'py>) -> Value<'py> {
    match num(a) {
        Some(Num::I(i)) => Value::Int(i),
        Some(Num::F(f)) => Value::Float(f),
        None => unary(a, |o| o.pos()),
    }
}

fn unary<'py>(
    a: &Value<'py>,
    op: impl FnOnce(&Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>>,
) -> Value<'py> {
    if a.is_poison() {
        return a.clone();
    }
    pyrefs::with_py(|py| match to_py(py, a).and_then(|o| op(&o)) {
        Ok(v) => from_py(v),
        Err(e) => py_err(e),
    })
}

/// `not a` in a value context.
pub fn not<'py>(a: &Value<'py>) -> Value<'py> {
    match a.try_truthy() {
        Ok(t) => Value::Bool(!t),
        Err(e) => Value::Poison(e),
    }
}

/// `a if cond else b` (`b` is `Undefined` when Jinja's `else` is absent).
pub fn cond<'py>(cond: bool, a: Value<'py>, b: Value<'py>) -> Value<'py> {
    if cond {
        a
    } else {
        b
    }
}
