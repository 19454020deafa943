//! Converter arguments, `<int(min=1, max=9):n>`: Werkzeug's `parse_converter_args` and `_pythonize`.

use std::sync::LazyLock;

use regex::Regex;

use super::numbers::{py_float, py_int, BigInt, Num};
use super::RouterError;

/// A Python literal as `_pythonize` produces it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PyLit {
    None,
    Bool(bool),
    Int(BigInt),
    Float(f64),
    Str(String),
}

impl PyLit {
    /// Python's truthiness.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            PyLit::None => false,
            PyLit::Bool(b) => *b,
            PyLit::Int(n) => !n.is_zero(),
            PyLit::Float(f) => *f != 0.0,
            PyLit::Str(s) => !s.is_empty(),
        }
    }

    /// The value as a Python number, if it is one (`bool` counts as `int`).
    pub(crate) fn as_num(&self) -> Option<Num> {
        match self {
            PyLit::Bool(b) => Some(Num::Int(BigInt::from_i64(i64::from(*b)))),
            PyLit::Int(n) => Some(Num::Int(n.clone())),
            PyLit::Float(f) => Some(Num::Float(*f)),
            PyLit::None | PyLit::Str(_) => None,
        }
    }

    /// Python's `int(value)`; `None` where Python raises.
    pub(crate) fn to_int(&self) -> Option<BigInt> {
        match self {
            PyLit::Bool(b) => Some(BigInt::from_i64(i64::from(*b))),
            PyLit::Int(n) => Some(n.clone()),
            PyLit::Float(f) if f.is_finite() => py_int(&format!("{:.0}", f.trunc())),
            PyLit::Str(s) if s.is_ascii() => py_int(s),
            _ => None,
        }
    }
}

/// Positional and keyword arguments of a converter.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ConverterArgs {
    pub(crate) args: Vec<PyLit>,
    pub(crate) kwargs: Vec<(String, PyLit)>,
}

/// Werkzeug's `_converter_args_re` with Python's ASCII meaning of `\w`, `\d` and `\s`
/// (arguments with other characters are refused before this runs).
static ARGS_RE: LazyLock<Regex> = LazyLock::new(|| {
    let w = "0-9A-Za-z_";
    let s = r"[\t\n\x0b\x0c\r\x1c-\x1f ]";
    let pattern = format!(
        r#"{s}*(?:(?P<name>[{w}]+){s}*={s}*)?(?P<value>True|False|[0-9]+.[0-9]+|[0-9]+.|[0-9]+|[{w}.]+|[urUR]?(?P<stringval>"[^"]*?"|'[^']*')){s}*,"#
    );
    Regex::new(&pattern).expect("converter argument pattern is valid")
});

/// Werkzeug's `_pythonize`.
fn pythonize(value: &str) -> PyLit {
    match value {
        "None" => return PyLit::None,
        "True" => return PyLit::Bool(true),
        "False" => return PyLit::Bool(false),
        _ => {}
    }
    if let Some(n) = py_int(value) {
        return PyLit::Int(n);
    }
    if let Some(f) = py_float(value) {
        return PyLit::Float(f);
    }
    let quoted = value.len() >= 2
        && (value.starts_with('"') || value.starts_with('\''))
        && value.as_bytes()[0] == value.as_bytes()[value.len() - 1];
    if quoted {
        PyLit::Str(value[1..value.len() - 1].to_string())
    } else {
        PyLit::Str(value.to_string())
    }
}

/// Werkzeug's `parse_converter_args`, including its quirks (`any(1,2)` is one item `"1,2"`, text after
/// the last parsable item is ignored).
pub(crate) fn parse_converter_args(argstr: &str) -> Result<ConverterArgs, RouterError> {
    if !argstr.is_ascii() {
        return Err(RouterError::Unsupported(format!(
            "converter arguments with non-ASCII characters ({argstr:?})"
        )));
    }
    let text = format!("{argstr},");
    let mut parsed = ConverterArgs::default();
    let mut position = 0;
    for item in ARGS_RE.captures_iter(&text) {
        let whole = item.get(0).map_or(0..0, |m| m.range());
        if whole.start != position {
            return Err(RouterError::Invalid(format!(
                "cannot parse converter argument {:?}",
                &text[position..whole.start]
            )));
        }
        let raw = item
            .name("stringval")
            .or_else(|| item.name("value"))
            .map_or("", |m| m.as_str());
        let value = pythonize(raw);
        match item.name("name") {
            Some(name) => parsed.kwargs.push((name.as_str().to_string(), value)),
            None => parsed.args.push(value),
        }
        position = whole.end;
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ConverterArgs {
        parse_converter_args(s).unwrap()
    }

    fn strs(items: &[&str]) -> Vec<PyLit> {
        items.iter().map(|s| PyLit::Str((*s).into())).collect()
    }

    #[test]
    fn like_werkzeug() {
        assert_eq!(parse("1,2").args, strs(&["1,2"]));
        assert_eq!(parse(r#"a, ")"#).args, strs(&["a"]));
        assert_eq!(parse("Truex").args, strs(&["Truex"]));
        assert_eq!(
            parse("True, None, False").args,
            vec![PyLit::Bool(true), PyLit::None, PyLit::Bool(false)]
        );
        assert_eq!(parse("1 ,").args, vec![PyLit::Int(BigInt::from_i64(1))]);
        assert_eq!(parse(r#"u"x", r'y'"#).args, strs(&["x", "y"]));
        assert_eq!(parse("1_5").args, vec![PyLit::Int(BigInt::from_i64(15))]);
        assert_eq!(parse("2.5").args, vec![PyLit::Float(2.5)]);
        assert_eq!(parse("inf").args, vec![PyLit::Float(f64::INFINITY)]);
        assert_eq!(parse("1.2.3").args, strs(&["1.2.3"]));
        assert_eq!(parse("").args, vec![]);
        assert_eq!(parse(",").args, vec![]);
        let kw = parse(r#"x=1, y = "2""#).kwargs;
        assert_eq!(
            kw,
            vec![
                ("x".into(), PyLit::Int(BigInt::from_i64(1))),
                ("y".into(), PyLit::Str("2".into()))
            ]
        );
    }

    #[test]
    fn errors() {
        assert!(matches!(
            parse_converter_args("a, b c"),
            Err(RouterError::Invalid(_))
        ));
        assert!(matches!(
            parse_converter_args(r#""a" "b""#),
            Err(RouterError::Invalid(_))
        ));
        assert!(matches!(
            parse_converter_args("a,,b"),
            Err(RouterError::Invalid(_))
        ));
        assert!(matches!(
            parse_converter_args("über"),
            Err(RouterError::Unsupported(_))
        ));
    }
}
