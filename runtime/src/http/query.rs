//! Query strings parsed as Werkzeug's `Request.args` parses them: `urllib.parse.parse_qsl(
//! qs.decode(), keep_blank_values=True, errors="werkzeug.url_quote")`.
//!
//! Fields split on `&` only (empty ones skipped), name and value on the first `=` (a field
//! without one has the value `""`), `+` → space, then `%XX` decoded (a `%` not followed by two
//! hex digits stays as it is) and the bytes read as UTF-8, each invalid byte written back as
//! `%XX` (upper case), as Werkzeug's error handler does. ASCII input only: `None` otherwise
//! (Python decodes other input piecewise; the caller falls back to it).

use percent_encoding::percent_decode;

/// The `(name, value)` pairs of an ASCII query string; `None` for non-ASCII input.
pub fn parse_qsl(qs: &[u8]) -> Option<Vec<(String, String)>> {
    if !qs.is_ascii() {
        return None;
    }
    let mut pairs = Vec::new();
    for field in qs.split(|&b| b == b'&') {
        if field.is_empty() {
            continue;
        }
        let (name, value) = match field.iter().position(|&b| b == b'=') {
            Some(i) => (&field[..i], &field[i + 1..]),
            None => (field, &b""[..]),
        };
        pairs.push((unquote_plus(name), unquote_plus(value)));
    }
    Some(pairs)
}

fn unquote_plus(s: &[u8]) -> String {
    if !s.iter().any(|&b| b == b'%' || b == b'+') {
        // ASCII checked by the caller.
        return String::from_utf8_lossy(s).into_owned();
    }
    // `+` is a space first, then `%XX` escapes; a `%` not followed by two hex digits stays,
    // as in `urllib.parse.unquote`.
    let spaced: Vec<u8> = s
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    let bytes: Vec<u8> = percent_decode(&spaced).collect();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 0xF)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse_qsl;

    fn p(qs: &str) -> Vec<(String, String)> {
        parse_qsl(qs.as_bytes()).unwrap()
    }

    #[test]
    fn like_parse_qsl() {
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(
            p("q=x&a=1&a=2"),
            vec![pair("q", "x"), pair("a", "1"), pair("a", "2")]
        );
        assert_eq!(
            p("&&a&b=&=c"),
            vec![pair("a", ""), pair("b", ""), pair("", "c")]
        );
        assert_eq!(p("a+b=c%20d%2B"), vec![pair("a b", "c d+")]);
        assert_eq!(p("x=%%41%4g%"), vec![pair("x", "%A%4g%")]);
        assert_eq!(p("x=%C3%A9%FF%E2%82"), vec![pair("x", "é%FF%E2%82")]);
        assert_eq!(p("a=b=c;d"), vec![pair("a", "b=c;d")]);
        assert!(parse_qsl("é=1".as_bytes()).is_none());
    }
}
