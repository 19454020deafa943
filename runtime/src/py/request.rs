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

/// The address the server listens on as Python's `(host, port)` (WSGI's `SERVER_NAME` and
/// `SERVER_PORT`): made once per server and shared, since every request hands it to Python.
pub type ServerAddr = Py<PyTuple>;

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
    pub server: Arc<ServerAddr>,
    pub scheme: &'static str,
    pub http_version: &'static str,
    /// The Rust router's answer; `None` when the map is left to Werkzeug.
    pub route: Option<MatchResult>,
    /// Converts `route` to Python (restoring rule defaults as the original objects).
    pub router: Option<Arc<Py<super::router::PyRouter>>>,
    /// A `multipart/form-data` body parsed in Rust (`None`: not multipart, or left to Werkzeug).
    pub multipart: Option<Vec<crate::http::multipart::Part>>,
    pub reply: Mutex<Option<oneshot::Sender<Reply>>>,
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

    /// The fields a `flask.Request` sets in `__init__`, in one call:
    /// `(method, scheme, server, path, query_string, remote_addr)`.
    #[allow(clippy::type_complexity)]
    fn fields<'py>(
        &self,
        py: Python<'py>,
    ) -> (
        Bound<'py, PyString>,
        Bound<'py, PyString>,
        Bound<'py, PyTuple>,
        &str,
        Bound<'py, PyBytes>,
        Option<String>,
    ) {
        (
            self.method(py),
            self.scheme(py),
            self.server(py),
            &self.path,
            self.query_string(py),
            self.remote_addr(),
        )
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
            list.append(PyTuple::new(
                py,
                [crate::http::title_case(name.as_str()), value],
            )?)?;
        }
        Ok(list)
    }

    /// One header's value (first occurrence, latin-1), without building the whole list.
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.as_bytes().iter().map(|&b| b as char).collect())
    }

    /// Whether the request has a `Cookie` header (what the session check needs to know).
    #[getter]
    fn has_cookie(&self) -> bool {
        self.headers.contains_key(http::header::COOKIE)
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
    fn server<'py>(&self, py: Python<'py>) -> Bound<'py, PyTuple> {
        self.server.bind(py).clone()
    }

    #[getter]
    fn scheme<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        match self.scheme {
            "http" => pyo3::intern!(py, "http").clone(),
            "https" => pyo3::intern!(py, "https").clone(),
            other => PyString::new(py, other),
        }
    }

    #[getter]
    fn http_version(&self) -> &'static str {
        self.http_version
    }

    /// The parsed form parts: `(name, filename, headers, data)` each, or `None`.
    #[getter]
    fn multipart<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        let Some(parts) = &self.multipart else {
            return Ok(None);
        };
        let list = PyList::empty(py);
        for p in parts {
            list.append((
                p.name.as_str(),
                p.filename.as_deref(),
                p.headers.clone(),
                PyBytes::new(py, &p.data),
            ))?;
        }
        Ok(Some(list))
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

/// `urllib.parse.parse_qsl(qs.decode(), keep_blank_values=True, errors="werkzeug.url_quote")`
/// for an ASCII query string (Werkzeug's `Request.args`); `None` for other input.
#[pyfunction]
pub fn parse_qsl(qs: &[u8]) -> Option<Vec<(String, String)>> {
    crate::http::query::parse_qsl(qs)
}

fn poisoned() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("request reply lock poisoned")
}
