//! `multipart/form-data` bodies parsed in Rust (multer), so uploads never go through
//! Werkzeug's pure-Python parser. A body multer refuses is left to Werkzeug, whose behaviour on
//! malformed input is what Flask users see.

use bytes::Bytes;
use http::HeaderMap;

/// One part of a form: a field (no filename) or a file.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    /// `Some` (possibly empty) when the part's Content-Disposition names a filename.
    pub filename: Option<String>,
    pub headers: Vec<(String, String)>,
    pub data: Bytes,
}

/// Parse `body` for the given `Content-Type` header; `None` if it is not multipart or multer
/// cannot parse it (Werkzeug then gets the body).
pub async fn parse(content_type: &str, body: Bytes) -> Option<Vec<Part>> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name()?.to_owned();
                let filename = field.file_name().map(str::to_owned);
                let headers = header_pairs(field.headers());
                let data = field.bytes().await.ok()?;
                parts.push(Part {
                    name,
                    filename,
                    headers,
                    data,
                });
            }
            Ok(None) => return Some(parts),
            Err(_) => return None,
        }
    }
}

/// Header pairs as Werkzeug's `Headers` would hold them (title-cased names, latin-1 values).
fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                crate::http::title_case(k.as_str()),
                v.as_bytes().iter().map(|&b| b as char).collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn parses_fields_and_files() {
        let body = "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n\
                    --XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n\
                    Content-Type: text/plain\r\n\r\nhello\r\n--XX--\r\n";
        let parts = block_on(parse("multipart/form-data; boundary=XX", Bytes::from(body))).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), parts[0].filename.as_deref()),
            ("a", None)
        );
        assert_eq!(&parts[0].data[..], b"1");
        assert_eq!(parts[1].filename.as_deref(), Some("x.txt"));
        assert_eq!(&parts[1].data[..], b"hello");
        assert!(parts[1]
            .headers
            .contains(&("Content-Type".into(), "text/plain".into())));
    }

    #[test]
    fn malformed_bodies_are_left_to_werkzeug() {
        assert!(block_on(parse(
            "multipart/form-data; boundary=XX",
            Bytes::from("garbage")
        ))
        .is_none());
        assert!(block_on(parse("multipart/form-data", Bytes::from("x"))).is_none());
    }
}
