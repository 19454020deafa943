//! HTTP helpers with no pyo3: path decoding, body collection with limits, response building.
pub mod body;
pub mod multipart;
pub mod path;
pub mod query;
pub mod status;

/// Python's `str.title()` for ASCII header names, as WSGI environ keys come back in Werkzeug
/// (`content-type` → `Content-Type`).
pub fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut prev_letter = false;
    for c in name.chars() {
        if c.is_ascii_alphabetic() {
            out.push(if prev_letter {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            });
            prev_letter = true;
        } else {
            out.push(c);
            prev_letter = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::title_case;

    #[test]
    fn title_cases_like_python() {
        assert_eq!(title_case("content-type"), "Content-Type");
        assert_eq!(title_case("x-h2c-thing"), "X-H2C-Thing");
        assert_eq!(title_case("www-authenticate"), "Www-Authenticate");
    }
}
