//! Number filters: int, float, abs, round.

use super::*;

pub(super) fn int_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [default, base] = params(args, ["default", "base"])?;
    if !matches!(base, None | Some(Value::Int(10))) {
        return None;
    }
    let default = || default.cloned().unwrap_or(Value::Int(0));
    Some(match v {
        Value::Int(i) => Value::Int(*i),
        Value::Bool(b) => Value::Int(*b as i64),
        Value::Float(f) if f.is_finite() && f.abs() < 9.0e18 => Value::Int(f.trunc() as i64),
        Value::None => default(),
        _ => {
            // Plain decimal integers; anything else (underscores, floats, Unicode digits,
            // whitespace Python strips) is Python's business.
            let s = v.as_str()?;
            let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Value::Int(s.parse().ok()?)
        }
    })
}

pub(super) fn float_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [default] = params(args, ["default"])?;
    Some(match v {
        Value::Int(i) => Value::Float(*i as f64),
        Value::Bool(b) => Value::Float(*b as i64 as f64),
        Value::Float(f) => Value::Float(*f),
        Value::None => default.cloned().unwrap_or(Value::Float(0.0)),
        _ => return None,
    })
}

pub(super) fn abs_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    no_args(args)?;
    match v {
        Value::Int(i) => i.checked_abs().map(Value::Int),
        Value::Bool(b) => Some(Value::Int(*b as i64)),
        Value::Float(f) => Some(Value::Float(f.abs())),
        _ => None,
    }
}

pub(super) fn round_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [precision, method] = params(args, ["precision", "method"])?;
    if int_arg(precision, 0)? != 0 {
        return None;
    }
    let method = match method {
        None => "common",
        Some(m) => m.as_str()?,
    };
    let r = match (v, method) {
        // round(int, 0) is the int itself.
        (Value::Int(i), "common") => Value::Int(*i),
        (Value::Bool(b), "common") => Value::Int(*b as i64),
        (Value::Float(f), "common") => Value::Float(f.round_ties_even()),
        // math.ceil/floor give an int, divided by 1 back to a float (so never -0.0).
        (Value::Int(i), "ceil" | "floor") if i.unsigned_abs() <= 1 << 53 => Value::Float(*i as f64),
        (Value::Float(f), "ceil") if f.is_finite() => Value::Float(f.ceil() + 0.0),
        (Value::Float(f), "floor") if f.is_finite() => Value::Float(f.floor() + 0.0),
        _ => return None,
    };
    Some(r)
}
