//! Python's `repr(float)` (= `str(float)`), byte for byte: the engine's JSON encoder, the
//! router's converters and the compiled templates all print floats as Python does.
//!
//! Why ryu and not Rust's own `{:e}`: both give shortest round-trip digits, but where two
//! shortest strings round-trip `{:e}` does not always pick the one Python picks (about 1 in
//! 8,000 random doubles: `-233891771783429.62` came out as `…963e14`). ryu matches Python on
//! every case the JSON differential tests try.

/// `repr(f)`: `nan`, `inf`, `-inf` for the non-finite values.
pub(crate) fn repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let mut out = Vec::with_capacity(24);
    write_finite(f, &mut out);
    String::from_utf8(out).expect("ASCII digits")
}

/// Appends `repr(f)` of a finite `f`.
pub(crate) fn write_finite(f: f64, out: &mut Vec<u8>) {
    // Only ryu's layout differs from Python's: fixed notation for 1e-4 <= |f| < 1e16, else
    // `d.ddde+XX`.
    let mut buf = ryu::Buffer::new();
    let text = buf.format_finite(f);
    let (negative, text) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text),
    };
    let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let point = mantissa.find('.').unwrap_or(mantissa.len());
    let mut digits: Vec<u8> = mantissa.bytes().filter(|&b| b != b'.').collect();
    let mut decpt = i32::try_from(point).unwrap_or(0) + exp; // value = 0.DIGITS × 10^decpt
    let leading = digits.iter().take_while(|&&b| b == b'0').count();
    if leading == digits.len() {
        digits = vec![b'0'];
        decpt = 1;
    } else {
        digits.drain(..leading);
        decpt -= i32::try_from(leading).unwrap_or(0);
        while digits.len() > 1 && digits.last() == Some(&b'0') {
            digits.pop();
        }
    }
    let digits = &digits[..];
    if negative {
        out.push(b'-');
    }
    if !(-4 < decpt && decpt <= 16) {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        let e = decpt - 1;
        out.push(b'e');
        out.push(if e < 0 { b'-' } else { b'+' });
        let e = e.unsigned_abs();
        if e < 10 {
            out.push(b'0');
        }
        out.extend_from_slice(itoa::Buffer::new().format(e).as_bytes());
    } else if decpt <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', decpt.unsigned_abs() as usize));
        out.extend_from_slice(digits);
    } else {
        let decpt = decpt as usize;
        if decpt >= digits.len() {
            out.extend_from_slice(digits);
            out.extend(std::iter::repeat_n(b'0', decpt - digits.len()));
            out.extend_from_slice(b".0");
        } else {
            out.extend_from_slice(&digits[..decpt]);
            out.push(b'.');
            out.extend_from_slice(&digits[decpt..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::repr;

    #[test]
    fn like_python() {
        for (f, want) in [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (5e-324, "5e-324"),
            (-233891771783429.62, "-233891771783429.62"),
            (-1187963360343591.2, "-1187963360343591.2"),
            (f64::NAN, "nan"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(repr(f), want, "{f:?}");
        }
    }
}
