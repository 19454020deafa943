//! `urllib.parse.quote(s, safe="!$&'()*+,/:;=@")`, the quoting Werkzeug applies to redirect paths
//! and built URLs.

const SAFE: &[u8] = b"!$&'()*+,/:;=@";

fn is_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') || SAFE.contains(&b)
}

/// Percent-encode the UTF-8 bytes of `s` outside Python's always-safe set and Werkzeug's `safe`.
pub(crate) fn py_quote(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if is_safe(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::py_quote;

    #[test]
    fn like_urllib() {
        assert_eq!(py_quote("/a b/é?#%~"), "/a%20b/%C3%A9%3F%23%25~");
        assert_eq!(py_quote("!$&'()*+,/:;=@"), "!$&'()*+,/:;=@");
        assert_eq!(py_quote("\0\n<>\"[]"), "%00%0A%3C%3E%22%5B%5D");
    }
}
