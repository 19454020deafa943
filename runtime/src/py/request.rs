//! `bustapi._core.RawRequest`: the Rust-parsed request handed to Python's dispatch, read lazily.
//!
//! Every getter converts on access; `bustapi.wrappers.Request` caches what it reads, so a view
//! that never looks at headers or the body never pays for them.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{HeaderMap, Method};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};
use tokio::sync::oneshot;

use crate::router::MatchResult;

use super::response::Reply;

#[pyclass(frozen, module = "bustapi._core", name = "RawRequest")]
pub struct RawRequest {
    pub method: Method,
    /// Percent-decoded, UTF-8 decoded path (Werkzeug's `request.path`).
    pub path: String,
    /// The request target as received (`RAW_URI`/`REQUEST_URI`).
    pub raw_uri: String,
    pub query: String,
    pub headers: HeaderMap,
    /// `None`: larger than `MAX_CONTENT_LENGTH`, not read.
    pub body: Option<Bytes>,
    pub peer: Option<SocketAddr>,
    pub server: (String, u16),
    pub scheme: &'static str,
    pub http_version: &'static str,
    /// The Rust router's answer; `None` when the map is left to Werkzeug.
    pub route: Option<MatchResult>,
    /// Converts `route` to Python (restoring rule defaults as the original objects).
    pub router: Option<Arc<Py<super::router::PyRouter>>>,
    pub reply: Mutex<Option<oneshot::Sender<Reply>>>,
}

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

#[pymethods]
impl RawRequest {
    #[getter]
    fn method<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        match self.method {
            Method::GET => pyo3::intern!(py, "GET").clone(),
            Method::POST => pyo3::intern!(py, "POST").clone(),
            _ => PyString::new(py, self.method.as_str()),
        }
    }

    #[getter]
    fn path(&self) -> &str {
        &self.path
    }

    #[getter]
    fn raw_uri(&self) -> &str {
        &self.raw_uri
    }

    #[getter]
    fn query_string<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.query.as_bytes())
    }

    /// Headers as WSGI would present them: names title-cased, repeated fields joined
    /// (`Cookie` with `; `, others with `, `), values decoded as latin-1.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for name in self.headers.keys() {
            let mut values = self.headers.get_all(name).iter();
            let Some(first) = values.next() else { continue };
            let mut value: String = first.as_bytes().iter().map(|&b| b as char).collect();
            let sep = if name == http::header::COOKIE {
                "; "
            } else {
                ", "
            };
            for more in values {
                value.push_str(sep);
                value.extend(more.as_bytes().iter().map(|&b| b as char));
            }
            list.append(PyTuple::new(py, [title_case(name.as_str()), value])?)?;
        }
        Ok(list)
    }

    /// One header's value (first occurrence, latin-1), without building the whole list.
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.as_bytes().iter().map(|&b| b as char).collect())
    }

    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.body.as_ref().map(|b| PyBytes::new(py, b))
    }

    #[getter]
    fn body_too_large(&self) -> bool {
        self.body.is_none()
    }

    #[getter]
    fn remote_addr(&self) -> Option<String> {
        self.peer.map(|p| p.ip().to_string())
    }

    #[getter]
    fn remote_port(&self) -> Option<u16> {
        self.peer.map(|p| p.port())
    }

    #[getter]
    fn server(&self) -> (String, u16) {
        self.server.clone()
    }

    #[getter]
    fn scheme(&self) -> &'static str {
        self.scheme
    }

    #[getter]
    fn http_version(&self) -> &'static str {
        self.http_version
    }

    /// The router's match: see `bustapi._core.Router.match`; `None` if Python must route.
    #[getter]
    fn route<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match (&self.route, &self.router) {
            (Some(m), Some(router)) => Ok(Some(router.get().result_to_py(py, m)?.into_any())),
            (Some(m), None) => Ok(Some(super::router::match_to_py(py, m)?.into_any())),
            (None, _) => Ok(None),
        }
    }

    /// Send the response for a request whose dispatch finished later (async views).
    /// An invalid `result` still answers the client (500) before the error is raised.
    fn respond(&self, py: Python<'_>, result: &Bound<'_, PyAny>) -> PyResult<()> {
        let converted = super::response::convert(py, result);
        let tx = self.reply.lock().map_err(|_| poisoned())?.take();
        match (converted, tx) {
            (Ok(reply), Some(tx)) => {
                let _ = tx.send(reply);
                Ok(())
            }
            (Err(err), Some(tx)) => {
                let _ = tx.send(super::response::Reply::Full(super::service::plain(
                    http::StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal Server Error\n",
                )));
                Err(err)
            }
            (Ok(_), None) => Ok(()),
            (Err(err), None) => Err(err),
        }
    }
}

fn poisoned() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("request reply lock poisoned")
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
