//! Python's number semantics, as far as routing needs them: `\d` and `int()`/`float()` over Unicode
//! decimal digits, arbitrary-size integers, exact int/float comparison, and `repr(float)`.

use std::cmp::Ordering;

/// The code point of `0` of every run of ten Unicode decimal digits (category Nd) that Python 3.11's
/// `re` matches with `\d` and `int()` accepts (Unicode 14.0). Each run is `zero..=zero + 9`.
const DIGIT_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
    0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

/// A Rust-regex character class equal to Python's `\d` on `str` patterns.
pub(crate) fn digit_class() -> String {
    let mut class = String::from("[");
    for zero in DIGIT_ZEROS {
        class.push_str(&format!("\\x{{{:x}}}-\\x{{{:x}}}", zero, zero + 9));
    }
    class.push(']');
    class
}

/// The value of a decimal digit as Python's `unicodedata.decimal` gives it.
pub(crate) fn decimal_value(c: char) -> Option<u32> {
    let code = c as u32;
    let run = DIGIT_ZEROS.partition_point(|&zero| zero <= code);
    let zero = *DIGIT_ZEROS.get(run.checked_sub(1)?)?;
    (code - zero < 10).then_some(code - zero)
}

/// Replace Unicode decimal digits by ASCII ones (what `int()`/`float()` do before parsing).
pub(crate) fn to_ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match decimal_value(c) {
            Some(d) => char::from(b'0' + d as u8),
            None => c,
        })
        .collect()
}

/// A Python `int` of any size: a sign and decimal digits without leading zeros (zero is `"0"`, not negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BigInt {
    negative: bool,
    digits: String,
}

impl BigInt {
    /// From ASCII decimal digits (leading zeros allowed).
    pub(crate) fn from_digits(negative: bool, digits: &str) -> BigInt {
        let trimmed = digits.trim_start_matches('0');
        let digits = if trimmed.is_empty() { "0" } else { trimmed };
        BigInt {
            negative: negative && digits != "0",
            digits: digits.to_string(),
        }
    }

    pub(crate) fn from_i64(n: i64) -> BigInt {
        BigInt {
            negative: n < 0,
            digits: n.unsigned_abs().to_string(),
        }
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.digits == "0"
    }

    pub(crate) fn to_i64(&self) -> Option<i64> {
        self.to_string().parse().ok()
    }

    /// An integral finite float as an exact integer.
    fn from_integral_f64(f: f64) -> BigInt {
        let text = format!("{:.0}", f.abs());
        BigInt::from_digits(f < 0.0, &text)
    }

    fn cmp_magnitude(&self, other: &BigInt) -> Ordering {
        self.digits
            .len()
            .cmp(&other.digits.len())
            .then_with(|| self.digits.cmp(&other.digits))
    }
}

impl std::fmt::Display for BigInt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str(&self.digits)
    }
}

impl Ord for BigInt {
    fn cmp(&self, other: &BigInt) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for BigInt {
    fn partial_cmp(&self, other: &BigInt) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A Python number (`bool` is folded into `Int`, as Python compares it).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Num {
    Int(BigInt),
    Float(f64),
}

/// Python's comparison of two numbers; `None` when unordered (NaN involved).
pub(crate) fn py_cmp(a: &Num, b: &Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(y)),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(y),
        (Num::Int(x), Num::Float(y)) => cmp_int_float(x, *y),
        (Num::Float(x), Num::Int(y)) => cmp_int_float(y, *x).map(Ordering::reverse),
    }
}

/// Exact comparison of an int with a float, as CPython does it (no rounding of the int).
fn cmp_int_float(n: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let floor = BigInt::from_integral_f64(f.floor());
    match n.cmp(&floor) {
        Ordering::Less => Some(Ordering::Less),
        Ordering::Greater if f.fract() != 0.0 => {
            // floor < f < floor + 1: n > floor means n >= floor + 1 > f.
            Some(Ordering::Greater)
        }
        Ordering::Greater => Some(Ordering::Greater),
        Ordering::Equal if f.fract() != 0.0 => Some(Ordering::Less),
        Ordering::Equal => Some(Ordering::Equal),
    }
}

/// Python's whitespace for `int()`/`float()` on ASCII text (C `isspace`).
fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// `digit (_? digit)*` in ASCII: Python's digit groups with single underscores (PEP 515).
fn strip_underscores(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_digit() || !bytes[bytes.len() - 1].is_ascii_digit() {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut prev_underscore = false;
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                out.push(char::from(b));
                prev_underscore = false;
            }
            b'_' if !prev_underscore => prev_underscore = true,
            _ => return None,
        }
    }
    Some(out)
}

fn split_sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

/// Python's `int(s)` for ASCII `s` (base 10); `None` where Python raises `ValueError`.
pub(crate) fn py_int(s: &str) -> Option<BigInt> {
    let (negative, body) = split_sign(s.trim_matches(is_c_space));
    Some(BigInt::from_digits(negative, &strip_underscores(body)?))
}

/// Python's `float(s)` for ASCII `s`; `None` where Python raises `ValueError`.
pub(crate) fn py_float(s: &str) -> Option<f64> {
    let (negative, body) = split_sign(s.trim_matches(is_c_space));
    let sign = if negative { -1.0 } else { 1.0 };
    match body.to_ascii_lowercase().as_str() {
        "inf" | "infinity" => return Some(sign * f64::INFINITY),
        "nan" => return Some(f64::NAN),
        _ => {}
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(at) => (&mantissa[..at], Some(&mantissa[at + 1..])),
        None => (mantissa, None),
    };
    let int_digits = if int_part.is_empty() {
        String::new()
    } else {
        strip_underscores(int_part)?
    };
    let frac_digits = match frac_part {
        Some("") | None => String::new(),
        Some(frac) => strip_underscores(frac)?,
    };
    if int_digits.is_empty() && frac_digits.is_empty() {
        return None;
    }
    let mut text = format!("{int_digits}.{frac_digits}");
    if text.starts_with('.') {
        text.insert(0, '0');
    }
    if let Some(exp) = exponent {
        let (exp_negative, exp_body) = split_sign(exp);
        let exp_digits = strip_underscores(exp_body)?;
        text.push('e');
        if exp_negative {
            text.push('-');
        }
        text.push_str(&exp_digits);
    }
    text.parse::<f64>().ok().map(|f| sign * f)
}

/// Python's `repr(float)`.
pub(crate) use crate::pyfloat::repr as py_float_repr;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_digits() {
        assert_eq!(decimal_value('7'), Some(7));
        assert_eq!(decimal_value('\u{663}'), Some(3));
        assert_eq!(decimal_value('\u{1d7ff}'), Some(9));
        assert_eq!(decimal_value('a'), None);
        assert_eq!(decimal_value('\u{2f}'), None);
        assert_eq!(decimal_value('\u{10ffff}'), None);
        assert_eq!(to_ascii_digits("\u{661}\u{662}x"), "12x");
        assert!(regex::Regex::new(&digit_class()).is_ok());
    }

    #[test]
    fn int_parsing_like_python() {
        assert_eq!(py_int("1_5").map(|n| n.to_string()), Some("15".into()));
        assert_eq!(py_int("010 ").map(|n| n.to_string()), Some("10".into()));
        assert_eq!(py_int("-0").map(|n| n.to_string()), Some("0".into()));
        for bad in ["1__5", "_1", "1_", "0x10", "1.", "", "-", "1\x1c"] {
            assert_eq!(py_int(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn float_parsing_like_python() {
        assert_eq!(py_float("1."), Some(1.0));
        assert_eq!(py_float(".5"), Some(0.5));
        assert_eq!(py_float("1e1_0"), Some(1e10));
        assert_eq!(py_float("1_0.5"), Some(10.5));
        assert_eq!(py_float("iNF"), Some(f64::INFINITY));
        assert!(py_float("-nan").is_some_and(f64::is_nan));
        for bad in ["1._5", "1_.5", "1e", "1.5e", ".", "e5", "1.2.3", "0x1"] {
            assert_eq!(py_float(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn float_repr_like_python() {
        let cases = [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-0.0, "-0.0"),
            (1.5e300, "1.5e+300"),
            (2.5, "2.5"),
            (f64::INFINITY, "inf"),
        ];
        for (f, text) in cases {
            assert_eq!(py_float_repr(f), text);
        }
    }

    #[test]
    fn exact_int_float_comparison() {
        let big = |s: &str| Num::Int(BigInt::from_digits(false, s));
        assert_eq!(
            py_cmp(&big("100000000000000000000"), &Num::Float(1e20)),
            Some(Ordering::Equal)
        );
        assert_eq!(
            py_cmp(&big("9007199254740993"), &Num::Float(9007199254740992.0)),
            Some(Ordering::Greater)
        );
        assert_eq!(py_cmp(&big("2"), &Num::Float(2.5)), Some(Ordering::Less));
        assert_eq!(py_cmp(&big("3"), &Num::Float(2.5)), Some(Ordering::Greater));
        assert_eq!(
            py_cmp(&Num::Int(BigInt::from_i64(-3)), &Num::Float(-2.5)),
            Some(Ordering::Less)
        );
        assert_eq!(
            py_cmp(&Num::Float(f64::INFINITY), &big("99999999999999999999999")),
            Some(Ordering::Greater)
        );
        assert_eq!(py_cmp(&Num::Float(f64::NAN), &big("1")), None);
        assert!(BigInt::from_digits(true, "5") < BigInt::from_digits(false, "0"));
        assert!(BigInt::from_digits(true, "50") < BigInt::from_digits(true, "6"));
    }
}
