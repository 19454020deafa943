//! Values as text, the way Python prints them: `str()` of numbers (`1e-07`, `0.0`, `inf`),
//! `True`/`None`, containers through Python's own `repr`, `Markup` kept apart from plain text so
//! escaping can follow MarkupSafe.

use std::borrow::Cow;
use std::fmt;
use std::rc::Rc;

use pyo3::prelude::*;
use pyo3::types::PyString;

use super::context;
use super::convert::to_py;
use super::escape::escape_into;
use super::pyrefs;
use super::Value;

/// Python's `repr(float)` (= `str(float)`).
pub(crate) use crate::pyfloat::repr as float_repr;

/// Text with its MarkupSafe status.
pub(crate) enum Text<'a> {
    Plain(Cow<'a, str>),
    /// Already-safe HTML (a `Markup`, or what an `__html__` method returned).
    Markup(Cow<'a, str>),
}

impl<'a> Text<'a> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Text::Plain(s) | Text::Markup(s) => s,
        }
    }
    pub(crate) fn is_markup(&self) -> bool {
        matches!(self, Text::Markup(_))
    }
    /// The text as HTML: plain text escaped, markup as is.
    pub(crate) fn html(&self) -> Cow<'_, str> {
        match self {
            Text::Plain(s) => Cow::Owned(super::escape::escape_str(s)),
            Text::Markup(s) => Cow::Borrowed(s),
        }
    }
}

fn pystr_text(s: &Bound<'_, PyString>) -> Result<String, Rc<str>> {
    s.to_str()
        .map(str::to_owned)
        .map_err(|e| e.to_string().into())
}

/// Python's `str(obj)`.
fn py_str_of(obj: &Bound<'_, PyAny>) -> Result<String, Rc<str>> {
    obj.str()
        .map_err(|e| Rc::from(e.to_string()))
        .and_then(|s| pystr_text(&s))
}

/// Text of native values Python would print the same way whatever the context.
fn native_text<'a>(v: &'a Value<'_>) -> Option<Cow<'a, str>> {
    Some(match v {
        Value::Undefined(_) => Cow::Borrowed(""),
        Value::None => Cow::Borrowed("None"),
        Value::Bool(true) => Cow::Borrowed("True"),
        Value::Bool(false) => Cow::Borrowed("False"),
        Value::Int(i) => Cow::Owned(i.to_string()),
        Value::Float(f) => Cow::Owned(float_repr(*f)),
        Value::Loop(l) => Cow::Owned(l.repr()),
        _ => return None,
    })
}

/// Containers and loop methods: printed by converting to Python and asking `str()`.
fn via_python(v: &Value<'_>) -> Result<String, Rc<str>> {
    let py = pyrefs::token().ok_or_else(|| Rc::from("no template render in progress"))?;
    to_py(py, v)
        .map_err(|e| Rc::from(e.to_string()))
        .and_then(|o| py_str_of(&o))
}

/// Python's `str(v)` (a `Markup` gives its text).
pub(crate) fn str_text<'a>(v: &'a Value<'_>) -> Result<Cow<'a, str>, Rc<str>> {
    if let Some(t) = native_text(v) {
        return Ok(t);
    }
    match v {
        Value::Poison(e) => Err(e.clone()),
        Value::Str(s) | Value::Markup(s) => Ok(Cow::Borrowed(s)),
        Value::Py(obj) => {
            if let Some(s) = v.as_str() {
                return Ok(Cow::Borrowed(s));
            }
            py_str_of(obj).map(Cow::Owned)
        }
        _ => via_python(v).map(Cow::Owned),
    }
}

/// Jinja's `soft_str`: a string (plain or `Markup`) as it is, anything else through `str()`.
pub(crate) fn soft_text<'a>(v: &'a Value<'_>) -> Result<Text<'a>, Rc<str>> {
    match v {
        Value::Markup(s) => Ok(Text::Markup(Cow::Borrowed(s))),
        Value::Py(obj) if v.as_str().is_none() => {
            if let Ok(s) = obj.cast::<PyString>() {
                let text = pystr_text(s)?;
                return Ok(if has_html(obj) {
                    Text::Markup(Cow::Owned(text))
                } else {
                    Text::Plain(Cow::Owned(text))
                });
            }
            py_str_of(obj).map(|s| Text::Plain(Cow::Owned(s)))
        }
        _ => str_text(v).map(Text::Plain),
    }
}

pub(crate) fn has_html(obj: &Bound<'_, PyAny>) -> bool {
    obj.hasattr(pyo3::intern!(obj.py(), "__html__"))
        .unwrap_or(false)
}

/// `markupsafe.escape(v)` before escaping: what has `__html__` gives that, the rest `str()`.
pub(crate) fn html_text<'a>(v: &'a Value<'_>) -> Result<Text<'a>, Rc<str>> {
    match v {
        Value::Markup(s) => Ok(Text::Markup(Cow::Borrowed(s))),
        Value::Py(obj) if v.as_str().is_none() => {
            let py = obj.py();
            // A `Markup` exactly: its `__html__` is itself, so its text is the markup.
            if let Ok(s) = obj.cast::<PyString>() {
                if pyrefs::markup(py).is_ok_and(|m| obj.get_type().is(m)) {
                    let text = s.to_str().map_err(|e| Rc::from(e.to_string()))?;
                    return Ok(Text::Markup(Cow::Borrowed(text)));
                }
            }
            match obj.getattr_opt(pyo3::intern!(py, "__html__")) {
                Ok(Some(html)) => {
                    let r = html.call0().map_err(|e| Rc::from(e.to_string()))?;
                    Ok(Text::Markup(Cow::Owned(py_str_of(&r)?)))
                }
                Ok(None) => py_str_of(obj).map(|s| Text::Plain(Cow::Owned(s))),
                Err(e) => Err(e.to_string().into()),
            }
        }
        _ => str_text(v).map(Text::Plain),
    }
}

/// `{{ v }}` output; errors (poison, a failing `__str__`) go to the render's error slot.
pub(crate) struct Output<'a, 'py> {
    pub(crate) value: &'a Value<'py>,
    pub(crate) escape: bool,
}

impl fmt::Display for Output<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.value;
        // Hot paths: loop counters and plain strings from the context.
        if let Value::Int(i) = v {
            return write!(f, "{i}");
        }
        if let Some(s) = v.as_str() {
            return if self.escape {
                escape_into(f, s)
            } else {
                f.write_str(s)
            };
        }
        let text = if self.escape {
            html_text(v)
        } else {
            str_text(v).map(Text::Plain)
        };
        match text {
            Ok(Text::Plain(s)) if self.escape => escape_into(f, &s),
            Ok(t) => f.write_str(t.as_str()),
            Err(e) => {
                context::record(&e);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::float_repr;

    #[test]
    fn python_float_repr() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (0.1, "0.1"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e-7, "1e-07"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (0.00012345, "0.00012345"),
            (1.2345e-5, "1.2345e-05"),
            (123456789.0, "123456789.0"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1.2345e100, "1.2345e+100"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (6.02214, "6.02214"),
            (100.0, "100.0"),
            (9999999999999998.0, "9999999999999998.0"),
        ];
        for (f, want) in cases {
            assert_eq!(float_repr(*f), *want, "{f:?}");
        }
    }
}
