//! Status lines: Flask lets a view return any status, including unknown codes and custom reasons.

use http::StatusCode;

/// Parse a Python status (`200`, `"404 NOT FOUND"`, `"299 Custom"`) into a code and, when the
/// reason differs from the canonical one, the reason to send.
pub fn parse_status(status: &str) -> Option<(StatusCode, Option<String>)> {
    let status = status.trim();
    let (code, reason) = match status.split_once(' ') {
        Some((code, reason)) => (code, Some(reason.trim())),
        None => (status, None),
    };
    let code: u16 = code.parse().ok()?;
    let code = StatusCode::from_u16(code).ok()?;
    let reason = reason
        .filter(|r| !r.is_empty())
        .filter(|r| {
            code.canonical_reason()
                .is_none_or(|c| !c.eq_ignore_ascii_case(r))
        })
        .map(str::to_owned);
    Some((code, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_reasons() {
        assert_eq!(parse_status("200 OK"), Some((StatusCode::OK, None)));
        assert_eq!(parse_status("404"), Some((StatusCode::NOT_FOUND, None)));
        assert_eq!(
            parse_status("299 Custom Thing"),
            Some((
                StatusCode::from_u16(299).unwrap(),
                Some("Custom Thing".into())
            ))
        );
        assert_eq!(parse_status("abc"), None);
        assert_eq!(parse_status("1000 x"), None);
    }
}
