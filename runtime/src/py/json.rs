//! JSON for Flask's `DefaultJSONProvider`, in Rust where the answer is the same as Python's.
//!
//! - `json_dumps`: what `json.dumps(obj, ensure_ascii=…, sort_keys=…, separators=…)` returns,
//!   for values made only of exact `dict`, `list`, `tuple`, `str`, `int`, `float`, `bool` and
//!   `None` (dict keys all `str`, or all `int`). Anything else — subclasses, objects for
//!   `default`, mixed key types, lone surrogates, very deep nesting — returns `None` and the
//!   caller runs Python's encoder, which gives Python's result or Python's error.
//! - `json_loads`: a `bytes`/`str` document decoded by jiter (pydantic's parser) into Python
//!   objects; any error raises `ValueError` and the caller asks `json.loads` for its own answer
//!   (so error messages and the odd inputs Python accepts stay Python's).
//!
//! Proved against `json.dumps`/`json.loads` by tests/test_json_rust.py (hypothesis).

use jiter::{FloatMode, PartialMode, PythonParse, StringCacheMode};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

/// Nesting deeper than this is left to Python (its recursion and circularity checks).
const MAX_DEPTH: usize = 200;

struct Options<'a> {
    ensure_ascii: bool,
    sort_keys: bool,
    item_sep: &'a str,
    key_sep: &'a str,
}

/// Not encodable here: let Python's encoder answer.
struct Bail;

type Enc = Result<(), Bail>;

fn encode(obj: &Bound<'_, PyAny>, out: &mut Vec<u8>, o: &Options<'_>, depth: usize) -> Enc {
    if depth > MAX_DEPTH {
        return Err(Bail);
    }
    if obj.is_exact_instance_of::<PyString>() {
        // SAFETY: the exact type was checked just above.
        let s = unsafe { obj.cast_unchecked::<PyString>() };
        return write_str(s, out, o.ensure_ascii);
    }
    if obj.is_none() {
        out.extend_from_slice(b"null");
        return Ok(());
    }
    if obj.is_exact_instance_of::<PyBool>() {
        out.extend_from_slice(if obj.is_truthy().map_err(|_| Bail)? {
            b"true"
        } else {
            b"false"
        });
        return Ok(());
    }
    if obj.is_exact_instance_of::<PyInt>() {
        return write_int(obj, out);
    }
    if obj.is_exact_instance_of::<PyFloat>() {
        // SAFETY: the exact type was checked just above.
        let f = unsafe { obj.cast_unchecked::<PyFloat>() }.value();
        write_float(f, out);
        return Ok(());
    }
    if obj.is_exact_instance_of::<PyDict>() {
        // SAFETY: the exact type was checked just above.
        let d = unsafe { obj.cast_unchecked::<PyDict>() };
        return write_dict(d, out, o, depth);
    }
    if obj.is_exact_instance_of::<PyList>() {
        // SAFETY: the exact type was checked just above.
        let l = unsafe { obj.cast_unchecked::<PyList>() };
        return write_array(l.iter(), out, o, depth);
    }
    if obj.is_exact_instance_of::<PyTuple>() {
        // SAFETY: the exact type was checked just above.
        let t = unsafe { obj.cast_unchecked::<PyTuple>() };
        return write_array(t.iter(), out, o, depth);
    }
    Err(Bail)
}

enum Key<'a> {
    Str(&'a str),
    Int(i64),
}

/// A list or tuple, as `json` writes both.
fn write_array<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    out: &mut Vec<u8>,
    o: &Options<'_>,
    depth: usize,
) -> Enc {
    out.push(b'[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.extend_from_slice(o.item_sep.as_bytes());
        }
        encode(&item, out, o, depth + 1)?;
    }
    out.push(b']');
    Ok(())
}

fn write_dict(d: &Bound<'_, PyDict>, out: &mut Vec<u8>, o: &Options<'_>, depth: usize) -> Enc {
    if d.is_empty() {
        out.extend_from_slice(b"{}");
        return Ok(());
    }
    // Keys are read before anything is written: all `str` or all `int` (what Python sorts
    // without a TypeError and writes without coercion surprises); anything else bails.
    let mut strs: Vec<(Bound<'_, PyString>, Bound<'_, PyAny>)> = Vec::new();
    let mut ints: Vec<(i64, Bound<'_, PyAny>)> = Vec::new();
    for (k, v) in d.iter() {
        if k.is_exact_instance_of::<PyString>() && ints.is_empty() {
            // SAFETY: the exact type was checked just above.
            strs.push((unsafe { k.cast_unchecked::<PyString>() }.clone(), v));
        } else if k.is_exact_instance_of::<PyInt>() && strs.is_empty() {
            ints.push((k.extract::<i64>().map_err(|_| Bail)?, v));
        } else {
            return Err(Bail);
        }
    }
    let mut entries: Vec<(Key<'_>, &Bound<'_, PyAny>)> = Vec::with_capacity(d.len());
    for (k, v) in &strs {
        entries.push((Key::Str(k.to_str().map_err(|_| Bail)?), v));
    }
    for (k, v) in &ints {
        entries.push((Key::Int(*k), v));
    }
    if o.sort_keys {
        // Code point order is UTF-8 byte order; keys are unique, so stability is moot.
        entries.sort_unstable_by(|a, b| match (&a.0, &b.0) {
            (Key::Str(x), Key::Str(y)) => x.cmp(y),
            (Key::Int(x), Key::Int(y)) => x.cmp(y),
            _ => std::cmp::Ordering::Equal,
        });
    }
    out.push(b'{');
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(o.item_sep.as_bytes());
        }
        match k {
            Key::Str(s) => escape(s, out, o.ensure_ascii),
            Key::Int(n) => {
                out.push(b'"');
                out.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes());
                out.push(b'"');
            }
        }
        out.extend_from_slice(o.key_sep.as_bytes());
        encode(v, out, o, depth + 1)?;
    }
    out.push(b'}');
    Ok(())
}

fn write_int(obj: &Bound<'_, PyAny>, out: &mut Vec<u8>) -> Enc {
    if let Ok(n) = obj.extract::<i64>() {
        out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        return Ok(());
    }
    // A big int: its decimal form from Python (which also enforces the int-to-str digit limit).
    let text = obj.str().map_err(|_| Bail)?;
    out.extend_from_slice(text.to_str().map_err(|_| Bail)?.as_bytes());
    Ok(())
}

fn write_str(s: &Bound<'_, PyString>, out: &mut Vec<u8>, ensure_ascii: bool) -> Enc {
    // Lone surrogates have no UTF-8 form: Python's encoder handles them.
    let text = s.to_str().map_err(|_| Bail)?;
    escape(text, out, ensure_ascii);
    Ok(())
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_u_escape(out: &mut Vec<u8>, unit: u32) {
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((unit >> shift) & 0xF) as usize]);
    }
}

/// A JSON string literal as Python's `json` writes it (`encode_basestring_ascii` when
/// `ensure_ascii`, `encode_basestring` otherwise).
fn escape(s: &str, out: &mut Vec<u8>, ensure_ascii: bool) {
    out.push(b'"');
    let bytes = s.as_bytes();
    // Most strings need no escape at all: copy them whole.
    if bytes
        .iter()
        .all(|&b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let plain = if ensure_ascii {
            (' '..='~').contains(&c) && c != '"' && c != '\\'
        } else {
            c >= ' ' && c != '"' && c != '\\'
        };
        if plain {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        start = i + c.len_utf8();
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    push_u_escape(out, u32::from(*unit));
                }
            }
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// `float.__repr__`, with `json`'s spellings of the non-finite values.
fn write_float(f: f64, out: &mut Vec<u8>) {
    if f.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if f.is_infinite() {
        out.extend_from_slice(if f > 0.0 { b"Infinity" } else { b"-Infinity" });
    } else {
        crate::pyfloat::write_finite(f, out);
    }
}

fn dumps_vec(obj: &Bound<'_, PyAny>, o: &Options<'_>, extra: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(128 + extra);
    encode(obj, &mut out, o, 0).ok()?;
    Some(out)
}

/// `json.dumps(obj, ensure_ascii=…, sort_keys=…, separators=(item_sep, key_sep))`, or `None`
/// when `obj` holds anything but plain JSON values (Python's encoder must answer).
#[pyfunction]
#[pyo3(signature = (obj, *, ensure_ascii = true, sort_keys = true, item_sep = ",", key_sep = ":"))]
pub fn json_dumps<'py>(
    obj: &Bound<'py, PyAny>,
    ensure_ascii: bool,
    sort_keys: bool,
    item_sep: &str,
    key_sep: &str,
) -> Option<Bound<'py, PyString>> {
    let o = Options {
        ensure_ascii,
        sort_keys,
        item_sep,
        key_sep,
    };
    let out = dumps_vec(obj, &o, 0)?;
    // The output is valid UTF-8: built from `&str`s and ASCII.
    let text = std::str::from_utf8(&out).ok()?;
    Some(PyString::new(obj.py(), text))
}

/// The body `jsonify` would send for `obj` with compact separators: the JSON text and a
/// newline, as UTF-8 bytes; `None` as for `json_dumps`.
#[pyfunction]
#[pyo3(signature = (obj, *, ensure_ascii = true, sort_keys = true))]
pub fn json_body<'py>(
    obj: &Bound<'py, PyAny>,
    ensure_ascii: bool,
    sort_keys: bool,
) -> Option<Bound<'py, PyBytes>> {
    let o = Options {
        ensure_ascii,
        sort_keys,
        item_sep: ",",
        key_sep: ":",
    };
    let mut out = dumps_vec(obj, &o, 1)?;
    out.push(b'\n');
    Some(PyBytes::new(obj.py(), &out))
}

/// A JSON document (UTF-8 `bytes` or `str`) as Python objects; `ValueError` for anything jiter
/// does not accept, after which the caller asks `json.loads` (Python's result or error).
#[pyfunction]
pub fn json_loads<'py>(data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = data.py();
    let text: &[u8] = if let Ok(b) = data.cast_exact::<PyBytes>() {
        b.as_bytes()
    } else if let Ok(s) = data.cast_exact::<PyString>() {
        s.to_str()?.as_bytes()
    } else {
        return Err(PyValueError::new_err("not bytes or str"));
    };
    let parse = PythonParse {
        allow_inf_nan: true,
        cache_mode: StringCacheMode::None,
        partial_mode: PartialMode::Off,
        catch_duplicate_keys: false,
        float_mode: FloatMode::Float,
    };
    parse
        .python_parse(py, text)
        .map_err(|e| jiter::map_json_error(text, &e))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(json_dumps, m)?)?;
    m.add_function(wrap_pyfunction!(json_body, m)?)?;
    m.add_function(wrap_pyfunction!(json_loads, m)?)?;
    Ok(())
}
