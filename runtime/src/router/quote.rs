//! Python's `urllib.parse` quoting as Werkzeug applies it: `quote(s, safe="!$&'()*+,/:;=@")` for
//! redirect paths and the path of built URLs, and `urlencode`'s `quote_plus` with
//! `safe="!$'()*,/:;?@"` for the query string of built URLs (`werkzeug.urls._urlencode`).

const PATH_SAFE: &[u8] = b"!$&'()*+,/:;=@";
const QUERY_SAFE: &[u8] = b"!$'()*,/:;?@";

fn quote_with(s: &str, safe: &[u8], plus_for_space: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') || safe.contains(&b)
        {
            out.push(char::from(b));
        } else if b == b' ' && plus_for_space {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

/// Percent-encode the UTF-8 bytes of `s` outside Python's always-safe set and Werkzeug's `safe`.
pub(crate) fn py_quote(s: &str) -> String {
    quote_with(s, PATH_SAFE, false)
}

/// `quote_plus(s, safe="!$'()*,/:;?@")`: a key or value of a built URL's query string.
pub(crate) fn py_quote_plus_query(s: &str) -> String {
    quote_with(s, QUERY_SAFE, true)
}

#[cfg(test)]
mod tests {
    use super::{py_quote, py_quote_plus_query};

    #[test]
    fn like_urllib() {
        assert_eq!(py_quote("/a b/é?#%~"), "/a%20b/%C3%A9%3F%23%25~");
        assert_eq!(py_quote("!$&'()*+,/:;=@"), "!$&'()*+,/:;=@");
        assert_eq!(py_quote("\0\n<>\"[]"), "%00%0A%3C%3E%22%5B%5D");
    }

    #[test]
    fn like_urlencode() {
        // urlencode([("k", "a b&c=d+e/é?~!")], safe="!$'()*,/:;?@")
        assert_eq!(
            py_quote_plus_query("a b&c=d+e/é?~!"),
            "a+b%26c%3Dd%2Be/%C3%A9?~!"
        );
        assert_eq!(py_quote_plus_query("$'()*,:;@#"), "$'()*,:;@%23");
    }
}
