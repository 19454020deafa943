//! MarkupSafe's HTML escaping, byte for byte: `&` `<` `>` `"` `'` become `&amp;` `&lt;` `&gt;`
//! `&#34;` `&#39;` (askama's and minijinja's escapers spell several of these differently).

use std::fmt;

/// Writes `s` escaped as `markupsafe.escape` would.
pub(crate) fn escape_into<W: fmt::Write + ?Sized>(w: &mut W, s: &str) -> fmt::Result {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&#34;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The escaped bytes are ASCII, so `start..i` always falls on char boundaries.
        w.write_str(&s[start..i])?;
        w.write_str(rep)?;
        start = i + 1;
    }
    w.write_str(&s[start..])
}

/// `s` escaped, as a new string.
pub(crate) fn escape_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let _ = escape_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::escape_str;

    #[test]
    fn markupsafe_entities() {
        assert_eq!(
            escape_str(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn untouched_text_and_unicode() {
        assert_eq!(escape_str(""), "");
        assert_eq!(escape_str("plain text / ok"), "plain text / ok");
        assert_eq!(escape_str("é<ü>😀&"), "é&lt;ü&gt;😀&amp;");
        assert_eq!(escape_str("&amp;"), "&amp;amp;");
    }
}
