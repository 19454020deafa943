//! Python dispatch results → HTTP responses.
//!
//! The protocol with `bustapi.dispatch` (kept tiny so the hot path allocates little):
//! - `bytes`: status 200, `text/html; charset=utf-8` (a view returning `str`/`bytes`);
//! - `(status, headers, body)`: status an `int` or a `"299 Reason"` string, headers a list of
//!   `(name, value)` string pairs, body `bytes` or an iterator of `bytes` (a streamed response,
//!   pulled chunk by chunk on the worker pool and closed when done or when the client leaves).

use std::sync::Arc;

use axum::body::Body;
use bytes::Bytes;
use http::{header, HeaderName, HeaderValue, Response, StatusCode};
use hyper::ext::ReasonPhrase;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};

use crate::http::status::parse_status;

/// A converted response: either complete, or a head plus the Python iterator of its body.
pub enum Reply {
    Full(Response<Body>),
    Stream(Response<Body>, Arc<Py<PyAny>>),
}

static HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");

pub fn convert(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Reply> {
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        let mut resp = Response::new(Body::from(Bytes::copy_from_slice(bytes.as_bytes())));
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HTML.clone());
        return Ok(Reply::Full(resp));
    }
    let tuple = obj.cast::<PyTuple>().map_err(|_| {
        PyTypeError::new_err("dispatch must return bytes or (status, headers, body)")
    })?;
    if tuple.len() != 3 {
        return Err(PyTypeError::new_err(
            "dispatch result must be (status, headers, body)",
        ));
    }
    let status = tuple.get_item(0)?;
    let mut builder = Response::builder();
    let mut reason = None;
    if let Ok(code) = status.extract::<u16>() {
        builder = builder
            .status(StatusCode::from_u16(code).map_err(|e| PyTypeError::new_err(e.to_string()))?);
    } else {
        let text: String = status.extract()?;
        let (code, custom) = parse_status(&text)
            .ok_or_else(|| PyTypeError::new_err(format!("bad status {text:?}")))?;
        builder = builder.status(code);
        reason = custom;
    }
    {
        let headers = builder.headers_mut().expect("builder is valid");
        let list = tuple.get_item(1)?;
        let list = list.cast::<PyList>()?;
        for item in list.iter() {
            let pair = item.cast::<PyTuple>()?;
            let name = pair.get_item(0)?;
            let value = pair.get_item(1)?;
            let name = name.cast::<PyString>()?.to_str()?;
            let value = value.cast::<PyString>()?.to_str()?;
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| PyTypeError::new_err(format!("header name {name:?}: {e}")))?;
            let value = latin1_header(value).ok_or_else(|| {
                PyTypeError::new_err(format!("header value {value:?} is not latin-1"))
            })?;
            headers.append(name, value);
        }
    }
    if let Some(reason) = reason {
        if let Ok(reason) = ReasonPhrase::try_from(reason.into_bytes()) {
            builder = builder.extension(reason);
        }
    }
    let body = tuple.get_item(2)?;
    if let Ok(bytes) = body.cast::<PyBytes>() {
        let resp = builder
            .body(Body::from(Bytes::copy_from_slice(bytes.as_bytes())))
            .map_err(|e| PyTypeError::new_err(e.to_string()))?;
        return Ok(Reply::Full(resp));
    }
    if body.is_none() {
        let resp = builder
            .body(Body::empty())
            .map_err(|e| PyTypeError::new_err(e.to_string()))?;
        return Ok(Reply::Full(resp));
    }
    let iter = body.try_iter()?.into_any().unbind();
    let _ = py;
    let resp = builder
        .body(Body::empty())
        .map_err(|e| PyTypeError::new_err(e.to_string()))?;
    Ok(Reply::Stream(resp, Arc::new(iter)))
}

/// Header values travel as latin-1 in WSGI (PEP 3333); encode back to the bytes sent.
fn latin1_header(value: &str) -> Option<HeaderValue> {
    if value.is_ascii() {
        return HeaderValue::from_str(value).ok();
    }
    let bytes: Option<Vec<u8>> = value
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect();
    HeaderValue::from_bytes(&bytes?).ok()
}

/// Pull one chunk from a streamed body's iterator: `None` at the end.
pub fn next_chunk(py: Python<'_>, iter: &Py<PyAny>) -> Option<Result<Bytes, String>> {
    let iter = iter.bind(py);
    let next = py_next(iter);
    match next {
        Ok(Some(item)) => {
            if let Ok(b) = item.cast::<PyBytes>() {
                Some(Ok(Bytes::copy_from_slice(b.as_bytes())))
            } else if let Ok(s) = item.cast::<PyString>() {
                Some(
                    s.to_str()
                        .map(|s| Bytes::copy_from_slice(s.as_bytes()))
                        .map_err(|e| e.to_string()),
                )
            } else {
                Some(Err(format!(
                    "response iterator yielded {}",
                    type_name(&item)
                )))
            }
        }
        Ok(None) => None,
        Err(err) => {
            super::log::exception(py, "Error in a streamed response", &err);
            Some(Err(err.to_string()))
        }
    }
}

fn py_next<'py>(iter: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    match iter.call_method0(pyo3::intern!(iter.py(), "__next__")) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyStopIteration>(iter.py()) => Ok(None),
        Err(e) => Err(e),
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// Close a streamed body's iterator if it has `close()` (generators run their `finally`).
pub fn close_iter(py: Python<'_>, iter: &Py<PyAny>) {
    let iter = iter.bind(py);
    if let Ok(close) = iter.getattr(pyo3::intern!(py, "close")) {
        if let Err(err) = close.call0() {
            super::log::exception(py, "Error closing a streamed response", &err);
        }
    }
}
