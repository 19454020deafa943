//! Static files answered in Rust, with the headers Flask's `send_static_file` gives.
//!
//! tower-http's `ServeFile` does the file I/O, `Range`/206, `If-Modified-Since`/304 and
//! `Last-Modified`; this module adds what Werkzeug's `send_file` adds on top — its path safety
//! (`safe_join`), its `ETag` (and `If-None-Match`), `Cache-Control` and a Content-Type taken
//! from Python's own `mimetypes` table, so the answer matches Flask's.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use axum::body::Body;
use axum::response::Response;
use http::{header, HeaderValue, Request, StatusCode};
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// Python's `mimetypes` data, handed over once so types match `mimetypes.guess_type`.
#[derive(Debug, Clone, Default)]
pub struct MimeTable {
    pub types: HashMap<String, String>,
    pub encodings: HashMap<String, String>,
}

impl MimeTable {
    /// `mimetypes.guess_type` for a file name: (type, encoding).
    pub fn guess(&self, name: &str) -> (Option<&str>, Option<&str>) {
        let mut stem = name;
        let mut encoding = None;
        if let Some((base, ext)) = split_ext(stem) {
            if let Some(enc) = self.encodings.get(ext) {
                encoding = Some(enc.as_str());
                stem = base;
            }
        }
        let ty = split_ext(stem).and_then(|(_, ext)| {
            self.types
                .get(ext)
                .or_else(|| self.types.get(&ext.to_ascii_lowercase()))
                .map(String::as_str)
        });
        (ty, encoding)
    }
}

fn split_ext(name: &str) -> Option<(&str, &str)> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let dot = file.rfind('.')?;
    if dot == 0 {
        return None;
    }
    let cut = name.len() - file.len() + dot;
    Some((&name[..cut], &name[cut..]))
}

/// Werkzeug's `get_content_type`: text types and a few others get `; charset=utf-8`.
fn content_type(mimetype: &str) -> String {
    const CHARSET_TYPES: [&str; 6] = [
        "application/ecmascript",
        "application/javascript",
        "application/sql",
        "application/xml",
        "application/xml-dtd",
        "application/xml-external-parsed-entity",
    ];
    if mimetype.starts_with("text/")
        || CHARSET_TYPES.contains(&mimetype)
        || mimetype.ends_with("+xml")
    {
        format!("{mimetype}; charset=utf-8")
    } else {
        mimetype.to_owned()
    }
}

/// Werkzeug's `safe_join(directory, filename)`: `None` when the name could leave the directory.
pub fn safe_join(directory: &Path, filename: &str) -> Option<PathBuf> {
    if filename.is_empty() || filename.contains('\\') || filename.contains('\0') {
        return None;
    }
    let normalized = normpath(filename);
    if normalized.starts_with('/') || normalized == ".." || normalized.starts_with("../") {
        return None;
    }
    Some(directory.join(normalized))
}

/// `posixpath.normpath` for relative and absolute paths.
fn normpath(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// Adler-32, as `zlib.adler32` (part of Werkzeug's ETag).
fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

/// Python's `repr(float)` for a file mtime (shortest round-trip, always with a fraction).
fn py_float(value: f64) -> String {
    let s = format!("{value}");
    if s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("NaN") {
        s
    } else {
        format!("{s}.0")
    }
}

/// Serve `filename` from `directory` for `req`, as Flask's `send_static_file` would.
/// `max_age`: `SEND_FILE_MAX_AGE_DEFAULT` in seconds (`None`: `Cache-Control: no-cache`).
/// Returns `None` when the file does not exist (the caller answers 404 the app's way).
pub async fn serve(
    directory: &Path,
    filename: &str,
    req: Request<Body>,
    max_age: Option<u64>,
    mimes: &MimeTable,
) -> Option<Response> {
    let path = safe_join(directory, filename)?;
    let meta = tokio::fs::metadata(&path).await.ok()?;
    if !meta.is_file() {
        return None;
    }
    let mtime = meta
        .modified()
        .ok()
        .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let path_str = path.to_string_lossy();
    let etag = format!(
        "\"{}-{}-{}\"",
        py_float(mtime),
        meta.len(),
        adler32(path_str.as_bytes())
    );
    let cache_control = match max_age {
        Some(age) if age > 0 => format!("public, max-age={age}"),
        Some(age) => format!("no-cache, max-age={age}"),
        None => "no-cache".to_owned(),
    };
    let (mimetype, encoding) = mimes.guess(filename);
    let ctype = content_type(mimetype.unwrap_or("application/octet-stream"));

    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let mut resp = if if_none_match
        .as_ref()
        .is_some_and(|v| etag_matches(v, &etag))
    {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        match ServeFile::new(&path).oneshot(req).await {
            Ok(r) => r.map(Body::new),
            Err(_) => return None,
        }
    };
    let status = resp.status();
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&cache_control) {
        headers.insert(header::CACHE_CONTROL, v);
    }
    if status != StatusCode::NOT_MODIFIED {
        if let Ok(v) = HeaderValue::from_str(&ctype) {
            headers.insert(header::CONTENT_TYPE, v);
        }
        if let Some(Ok(v)) = encoding.map(HeaderValue::from_str) {
            headers.insert(header::CONTENT_ENCODING, v);
        }
    } else {
        headers.remove(header::CONTENT_TYPE);
        headers.remove(header::CONTENT_LENGTH);
    }
    // Werkzeug names `Accept-Ranges` only on the 206 answer to a range request.
    if status == StatusCode::PARTIAL_CONTENT {
        headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    } else {
        headers.remove(header::ACCEPT_RANGES);
    }
    Some(resp)
}

fn etag_matches(header_value: &HeaderValue, etag: &str) -> bool {
    let Ok(value) = header_value.to_str() else {
        return false;
    };
    let bare = etag.trim_matches('"');
    value.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.trim_start_matches("W/").trim_matches('"') == bare
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_join_refuses_escapes() {
        let dir = Path::new("/srv/static");
        assert_eq!(
            safe_join(dir, "a/b.css"),
            Some(PathBuf::from("/srv/static/a/b.css"))
        );
        assert_eq!(
            safe_join(dir, "a/../b.css"),
            Some(PathBuf::from("/srv/static/b.css"))
        );
        assert_eq!(safe_join(dir, "../etc/passwd"), None);
        assert_eq!(safe_join(dir, "a/../../etc/passwd"), None);
        assert_eq!(safe_join(dir, "/etc/passwd"), None);
        assert_eq!(safe_join(dir, ".."), None);
        assert_eq!(safe_join(dir, "a\\..\\b"), None);
    }

    #[test]
    fn adler32_matches_zlib() {
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn python_float_repr() {
        assert_eq!(py_float(1.0), "1.0");
        assert_eq!(py_float(1732451234.25), "1732451234.25");
    }

    #[test]
    fn mimetypes_like_python() {
        let mut t = MimeTable::default();
        t.types.insert(".css".into(), "text/css".into());
        t.types.insert(".tar".into(), "application/x-tar".into());
        t.encodings.insert(".gz".into(), "gzip".into());
        assert_eq!(t.guess("x/app.CSS"), (Some("text/css"), None));
        assert_eq!(
            t.guess("a.tar.gz"),
            (Some("application/x-tar"), Some("gzip"))
        );
        assert_eq!(t.guess("README"), (None, None));
        assert_eq!(content_type("text/css"), "text/css; charset=utf-8");
        assert_eq!(content_type("image/png"), "image/png");
    }
}
