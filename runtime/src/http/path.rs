//! Request-target decoding with WSGI semantics.

use percent_encoding::percent_decode_str;

/// Decode a raw request path the way a WSGI server and Werkzeug do together: percent-decode the
/// bytes (so `%2F` becomes `/`, as in `PATH_INFO`), then decode UTF-8 replacing invalid sequences
/// with U+FFFD (Werkzeug's `errors="replace"`). Never fails.
pub fn decode_path(raw: &str) -> String {
    let bytes: Vec<u8> = percent_decode_str(raw).collect();
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::decode_path;

    #[test]
    fn decodes_percent_and_utf8() {
        assert_eq!(decode_path("/a%20b"), "/a b");
        assert_eq!(decode_path("/caf%C3%A9"), "/café");
        assert_eq!(decode_path("/a%2Fb"), "/a/b");
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        assert_eq!(decode_path("/%FF"), "/\u{FFFD}");
        assert_eq!(decode_path("/%C3"), "/\u{FFFD}");
    }

    #[test]
    fn stray_percent_is_kept() {
        assert_eq!(decode_path("/100%"), "/100%");
        assert_eq!(decode_path("/%zz"), "/%zz");
    }
}
