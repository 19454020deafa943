//! Werkzeug's built-in converters: their regexes (as Python writes them, and as the `regex` crate
//! needs them), weights, `to_python` and `to_url`.

use std::cmp::Ordering;

use super::args::{ConverterArgs, PyLit};
use super::numbers::{digit_class, py_cmp, py_float_repr, to_ascii_digits, BigInt, Num};
use super::quote::py_quote;
use super::{RouterError, Value};

/// The names Werkzeug's `Map` binds to its own converter classes.
pub(crate) const BUILTIN_NAMES: [&str; 7] =
    ["default", "string", "any", "path", "int", "float", "uuid"];

/// Repetition counts above this are left to Werkzeug (the `regex` crate would build huge automata).
const MAX_REPEAT: u32 = 10_000;

#[derive(Debug, Clone)]
pub(crate) struct Bounds {
    fixed_digits: PyLit,
    min: Option<Num>,
    max: Option<Num>,
    signed: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum Converter {
    /// `default`/`string`: `[^/]{…}`, the repetition as Werkzeug writes it (`{2}`, `{1,}`, `{1,8}`).
    Unicode {
        repeat: String,
    },
    Any {
        items: Vec<String>,
    },
    Path,
    Int(Bounds),
    Float(Bounds),
    Uuid,
}

const UUID_RE: &str = "[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}";

/// Python's `re.escape` (3.7+): a backslash before each of these characters.
pub(crate) fn py_re_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "()[]{}?*+-|^$\\.&~# \t\n\r\x0b\x0c".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Bind arguments to parameters like a Python call; `Invalid` where Python raises `TypeError`.
fn bind(
    name: &str,
    args: ConverterArgs,
    params: &[&str],
) -> Result<Vec<Option<PyLit>>, RouterError> {
    let invalid = |why: String| Err(RouterError::Invalid(format!("converter {name:?}: {why}")));
    if args.args.len() > params.len() {
        return invalid(format!("takes at most {} arguments", params.len()));
    }
    let mut bound: Vec<Option<PyLit>> = vec![None; params.len()];
    for (slot, value) in bound.iter_mut().zip(args.args) {
        *slot = Some(value);
    }
    let positional = bound.iter().filter(|v| v.is_some()).count();
    // Later keywords override earlier ones (`parse_converter_args` builds a dict).
    for (key, value) in args.kwargs {
        match params.iter().position(|p| *p == key) {
            Some(i) if i < positional => {
                return invalid(format!("got multiple values for {key:?}"))
            }
            Some(i) => bound[i] = Some(value),
            None => return invalid(format!("unexpected keyword argument {key:?}")),
        }
    }
    Ok(bound)
}

fn int_arg(name: &str, value: &PyLit) -> Result<u32, RouterError> {
    let n = value
        .to_int()
        .ok_or_else(|| RouterError::Invalid(format!("{name}={value:?} is not an int")))?;
    match n.to_i64() {
        Some(n) if (0..=i64::from(MAX_REPEAT)).contains(&n) => Ok(n as u32),
        _ => Err(RouterError::Unsupported(format!(
            "string converter {name}={n}"
        ))),
    }
}

fn bound_arg(name: &str, value: Option<PyLit>) -> Result<Option<Num>, RouterError> {
    match value {
        None | Some(PyLit::None) => Ok(None),
        Some(v) => v.as_num().map(Some).ok_or_else(|| {
            RouterError::Unsupported(format!(
                "number converter {name}={v:?} (Werkzeug raises TypeError)"
            ))
        }),
    }
}

impl Converter {
    /// Werkzeug's `Map.converters[name](map, *args, **kwargs)` for the built-in names.
    pub(crate) fn new(name: &str, args: ConverterArgs) -> Result<Converter, RouterError> {
        match name {
            "default" | "string" => {
                let p = bind(name, args, &["minlength", "maxlength", "length"])?;
                let repeat = if let Some(length) = p[2].as_ref().filter(|v| **v != PyLit::None) {
                    format!("{{{}}}", int_arg("length", length)?)
                } else {
                    let one = PyLit::Int(BigInt::from_i64(1));
                    let min = int_arg("minlength", p[0].as_ref().unwrap_or(&one))?;
                    match p[1].as_ref().filter(|v| **v != PyLit::None) {
                        None => format!("{{{min},}}"),
                        Some(max) => {
                            let max = int_arg("maxlength", max)?;
                            if min > max {
                                return Err(RouterError::Unsupported(format!(
                                    "string converter minlength {min} > maxlength {max} (Werkzeug raises re.error)"
                                )));
                            }
                            format!("{{{min},{max}}}")
                        }
                    }
                };
                Ok(Converter::Unicode { repeat })
            }
            "any" => {
                if !args.kwargs.is_empty() {
                    return Err(RouterError::Invalid(
                        "any converter takes no keyword arguments".into(),
                    ));
                }
                let items = args
                    .args
                    .into_iter()
                    .map(|item| match item {
                        PyLit::Str(s) => Ok(s),
                        other => Err(RouterError::Invalid(format!(
                            "any converter item {other:?} is not a string"
                        ))),
                    })
                    .collect::<Result<_, _>>()?;
                Ok(Converter::Any { items })
            }
            "path" => Ok(Converter::Path),
            "uuid" => Ok(Converter::Uuid),
            "int" | "float" => {
                let params: &[&str] = if name == "int" {
                    &["fixed_digits", "min", "max", "signed"]
                } else {
                    &["min", "max", "signed"]
                };
                let mut p = bind(name, args, params)?;
                if name == "float" {
                    p.insert(0, None);
                }
                let signed = p[3].as_ref().is_some_and(PyLit::truthy);
                let bounds = Bounds {
                    fixed_digits: p[0].take().unwrap_or(PyLit::Int(BigInt::from_i64(0))),
                    min: bound_arg("min", p[1].take())?,
                    max: bound_arg("max", p[2].take())?,
                    signed,
                };
                Ok(if name == "int" {
                    Converter::Int(bounds)
                } else {
                    Converter::Float(bounds)
                })
            }
            other => Err(RouterError::Unsupported(format!(
                "converter {other:?} is not one of Werkzeug's built-ins"
            ))),
        }
    }

    /// The regex exactly as Werkzeug writes it (it decides which rules share a matcher state).
    pub(crate) fn python_regex(&self) -> String {
        match self {
            Converter::Unicode { repeat } => format!("[^/]{repeat}"),
            Converter::Any { items } => {
                format!(
                    "(?:{})",
                    items
                        .iter()
                        .map(|i| py_re_escape(i))
                        .collect::<Vec<_>>()
                        .join("|")
                )
            }
            Converter::Path => "[^/].*?".into(),
            Converter::Int(b) => format!("{}\\d+", if b.signed { "-?" } else { "" }),
            Converter::Float(b) => format!("{}\\d+\\.\\d+", if b.signed { "-?" } else { "" }),
            Converter::Uuid => UUID_RE.into(),
        }
    }

    /// The same language for the `regex` crate (`\d` spelled as Python's digit set).
    pub(crate) fn rust_regex(&self) -> String {
        let sign = |b: &Bounds| if b.signed { "-?" } else { "" };
        match self {
            Converter::Unicode { repeat } => format!("[^/]{repeat}"),
            Converter::Any { items } => {
                format!(
                    "(?:{})",
                    items
                        .iter()
                        .map(|i| regex::escape(i))
                        .collect::<Vec<_>>()
                        .join("|")
                )
            }
            Converter::Path => "[^/].*?".into(),
            Converter::Int(b) => format!("{}{}+", sign(b), digit_class()),
            Converter::Float(b) => format!("{}{d}+\\.{d}+", sign(b), d = digit_class()),
            Converter::Uuid => UUID_RE.into(),
        }
    }

    pub(crate) fn weight(&self) -> i64 {
        match self {
            Converter::Int(_) | Converter::Float(_) => 50,
            Converter::Path => 200,
            _ => 100,
        }
    }

    /// `part_isolating`: false only for `path`, whose match may span slashes.
    pub(crate) fn part_isolating(&self) -> bool {
        !matches!(self, Converter::Path)
    }

    /// `to_python`; `Err(())` is Werkzeug's `ValidationError`.
    pub(crate) fn to_python(&self, value: &str) -> Result<Value, ()> {
        match self {
            Converter::Unicode { .. } | Converter::Any { .. } | Converter::Path => {
                Ok(Value::Str(value.to_string()))
            }
            Converter::Uuid => Ok(Value::Uuid(value.to_ascii_lowercase())),
            Converter::Int(b) => {
                if b.fixed_digits.truthy() && !len_equals(value.chars().count(), &b.fixed_digits) {
                    return Err(());
                }
                let ascii = to_ascii_digits(value);
                let (negative, digits) = match ascii.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, ascii.as_str()),
                };
                let n = BigInt::from_digits(negative, digits);
                b.check(&Num::Int(n.clone()))?;
                Ok(match n.to_i64() {
                    Some(i) => Value::Int(i),
                    None => Value::BigInt(n.to_string()),
                })
            }
            Converter::Float(b) => {
                let f: f64 = to_ascii_digits(value).parse().map_err(|_| ())?;
                b.check(&Num::Float(f))?;
                Ok(Value::Float(f))
            }
        }
    }

    /// Whether `to_url` of this converter is implemented here, and cannot raise, for `value`
    /// (a rule default), or for every value `source` converts to (`None`: `value` is given).
    pub(crate) fn url_safe(&self, value: Option<&Value>, source: Option<&Converter>) -> bool {
        match self {
            Converter::Unicode { .. } | Converter::Path | Converter::Uuid => true,
            Converter::Int(b) => {
                let int_input = match (value, source) {
                    (Some(v), _) => matches!(v, Value::Int(_) | Value::BigInt(_)),
                    (None, Some(src)) => matches!(src, Converter::Int(_)),
                    (None, None) => false,
                };
                int_input && zfill_width(&b.fixed_digits).is_some()
            }
            Converter::Float(_) => match (value, source) {
                (Some(v), _) => matches!(v, Value::Float(_)),
                (None, Some(src)) => matches!(src, Converter::Float(_)),
                (None, None) => false,
            },
            Converter::Any { items } => match (value, source) {
                (Some(Value::Str(s)), _) => items.contains(s),
                (None, Some(Converter::Any { items: theirs })) => {
                    theirs.iter().all(|i| items.contains(i))
                }
                _ => false,
            },
        }
    }

    /// `to_url(value)`; only called where [`Converter::url_safe`] holds (`None` otherwise).
    pub(crate) fn to_url(&self, value: &Value) -> Option<String> {
        match self {
            Converter::Unicode { .. } | Converter::Path => Some(py_quote(&py_str(value))),
            Converter::Uuid => Some(py_str(value)),
            Converter::Any { items } => match value {
                Value::Str(s) if items.contains(s) => Some(s.clone()),
                _ => None,
            },
            Converter::Int(b) => {
                let text = match value {
                    Value::Int(_) | Value::BigInt(_) => py_str(value),
                    _ => return None,
                };
                Some(zfill(&text, zfill_width(&b.fixed_digits)?))
            }
            Converter::Float(_) => match value {
                Value::Float(f) => Some(py_float_repr(*f)),
                _ => None,
            },
        }
    }
}

impl Bounds {
    fn check(&self, n: &Num) -> Result<(), ()> {
        let below = self
            .min
            .as_ref()
            .is_some_and(|min| py_cmp(n, min) == Some(Ordering::Less));
        let above = self
            .max
            .as_ref()
            .is_some_and(|max| py_cmp(n, max) == Some(Ordering::Greater));
        if below || above {
            Err(())
        } else {
            Ok(())
        }
    }
}

/// `len(value) != fixed_digits` negated, with Python's equality between an int and the argument.
fn len_equals(len: usize, fixed: &PyLit) -> bool {
    match fixed {
        PyLit::Str(_) | PyLit::None => false,
        other => other.as_num().is_some_and(|n| {
            py_cmp(&Num::Int(BigInt::from_i64(len as i64)), &n) == Some(Ordering::Equal)
        }),
    }
}

/// The width `str.zfill` gets in `NumberConverter.to_url`: 0 when `fixed_digits` is falsy; `None`
/// where Python raises (a float or string width) or the width is absurd.
fn zfill_width(fixed: &PyLit) -> Option<usize> {
    if !fixed.truthy() {
        return Some(0);
    }
    match fixed {
        PyLit::Bool(true) => Some(1),
        PyLit::Int(n) => n
            .to_i64()
            .filter(|w| *w <= i64::from(MAX_REPEAT))
            .map(|w| w.max(0) as usize),
        _ => None,
    }
}

/// Python's `str.zfill`.
fn zfill(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len >= width {
        return text.to_string();
    }
    let pad = "0".repeat(width - len);
    match text.strip_prefix(['-', '+']) {
        Some(rest) => format!("{}{pad}{rest}", &text[..1]),
        None => format!("{pad}{text}"),
    }
}

/// Python's `str(value)`.
pub(crate) fn py_str(value: &Value) -> String {
    match value {
        Value::Str(s) | Value::BigInt(s) | Value::Uuid(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => py_float_repr(*f),
    }
}

#[cfg(test)]
mod tests {
    use super::super::args::parse_converter_args;
    use super::*;

    fn conv(name: &str, args: &str) -> Converter {
        Converter::new(name, parse_converter_args(args).unwrap()).unwrap()
    }

    #[test]
    fn string_regexes() {
        assert_eq!(conv("default", "").python_regex(), "[^/]{1,}");
        assert_eq!(conv("string", "length=2").python_regex(), "[^/]{2}");
        assert_eq!(conv("string", "2, 5").python_regex(), "[^/]{2,5}");
        assert_eq!(conv("string", "maxlength=3.7").python_regex(), "[^/]{1,3}");
        assert_eq!(
            conv("string", "length=None, minlength=0").python_regex(),
            "[^/]{0,}"
        );
        let unsupported = |args| {
            matches!(
                Converter::new("string", parse_converter_args(args).unwrap()),
                Err(RouterError::Unsupported(_))
            )
        };
        assert!(unsupported("minlength=3, maxlength=1"));
        assert!(unsupported("length='-1'"));
        let invalid = |args| {
            matches!(
                Converter::new("string", parse_converter_args(args).unwrap()),
                Err(RouterError::Invalid(_))
            )
        };
        assert!(invalid("1, 2, 3, 4"));
        assert!(invalid("foo=1"));
        assert!(invalid("1, minlength=2"));
        assert!(invalid("length=abc"));
    }

    #[test]
    fn number_regexes_and_values() {
        assert_eq!(conv("int", "").python_regex(), "\\d+");
        assert_eq!(conv("int", "signed=True").python_regex(), "-?\\d+");
        assert_eq!(conv("float", "signed=1").python_regex(), "-?\\d+\\.\\d+");
        assert_eq!(conv("any", r#"a, "b.c""#).python_regex(), "(?:a|b\\.c)");
        let int = conv("int", "fixed_digits=3, min=5, max=500");
        assert_eq!(int.to_python("007"), Ok(Value::Int(7)));
        assert_eq!(int.to_python("07"), Err(()));
        assert_eq!(int.to_python("004"), Err(()));
        assert_eq!(int.to_python("501"), Err(()));
        assert_eq!(int.to_python("\u{665}\u{660}\u{660}"), Ok(Value::Int(500)));
        assert_eq!(
            conv("int", "").to_python("99999999999999999999"),
            Ok(Value::BigInt("99999999999999999999".into()))
        );
        assert_eq!(
            conv("int", "signed=True").to_python("-0"),
            Ok(Value::Int(0))
        );
        assert_eq!(conv("int", "fixed_digits='2'").to_python("12"), Err(()));
        assert_eq!(
            conv("int", "fixed_digits=2.0").to_python("12"),
            Ok(Value::Int(12))
        );
        assert_eq!(
            conv("float", "max=1.5").to_python("1.50"),
            Ok(Value::Float(1.5))
        );
        assert_eq!(conv("float", "max=1").to_python("1.01"), Err(()));
        assert_eq!(
            conv("uuid", "").to_python("A0B1C2D3-0000-0000-0000-00000000000F"),
            Ok(Value::Uuid("a0b1c2d3-0000-0000-0000-00000000000f".into()))
        );
        assert!(matches!(
            Converter::new("int", parse_converter_args("min='a'").unwrap()),
            Err(RouterError::Unsupported(_))
        ));
        assert!(matches!(
            Converter::new("float", parse_converter_args("fixed_digits=2").unwrap()),
            Err(RouterError::Invalid(_))
        ));
        assert!(matches!(
            Converter::new("any", parse_converter_args("1").unwrap()),
            Err(RouterError::Invalid(_))
        ));
        assert!(matches!(
            Converter::new("custom", ConverterArgs::default()),
            Err(RouterError::Unsupported(_))
        ));
        // path and uuid accept and ignore any arguments, as BaseConverter does
        assert_eq!(conv("path", "1, x=2").python_regex(), "[^/].*?");
    }

    #[test]
    fn to_url() {
        assert_eq!(
            conv("int", "fixed_digits=4").to_url(&Value::Int(-5)),
            Some("-005".into())
        );
        assert_eq!(
            conv("default", "").to_url(&Value::Str("a b/é".into())),
            Some("a%20b/%C3%A9".into())
        );
        assert_eq!(
            conv("float", "").to_url(&Value::Float(1e16)),
            Some("1e+16".into())
        );
        assert_eq!(conv("any", "a, b").to_url(&Value::Str("c".into())), None);
        assert!(!conv("int", "").url_safe(Some(&Value::Str("1".into())), None));
        assert!(conv("any", "a, b").url_safe(None, Some(&conv("any", "b"))));
        assert!(!conv("any", "a").url_safe(None, Some(&conv("any", "a, b"))));
    }
}
