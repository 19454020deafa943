//! The request handler: route in Rust, answer what Flask would answer without user code
//! (static files, 404/405, automatic OPTIONS — only when the app has no hooks that would run),
//! and hand everything else to the Python worker pool as one `RawRequest`.

use std::io;
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use bytes::Bytes;
use crossbeam_channel::Sender;
use http::{header, HeaderValue, Method, Request, StatusCode, Version};
use tokio::sync::oneshot;

use crate::http::body::{collect_limited, BodyOutcome};
use crate::http::path::decode_path;
use crate::router::{MatchResult, Value};
use crate::server::static_files::{self, MimeTable};
use crate::server::PeerAddr;

use super::pool::{Job, Jobs};
use super::request::{RawRequest, ServerAddr};
use super::response::Reply;
use super::table::RouteTableData;

pub struct AppState {
    pub table: RwLock<Arc<RouteTableData>>,
    pub jobs: Jobs,
    pub mimes: MimeTable,
    pub server: Arc<ServerAddr>,
    pub access_log: Option<Sender<String>>,
    /// How long a request body may take to arrive (slowloris guard for bodies).
    pub body_timeout: std::time::Duration,
}

pub async fn handle(State(state): State<Arc<AppState>>, req: Request<Body>) -> Response {
    let log = state.access_log.as_ref().map(|_| {
        let peer = match req.extensions().get::<PeerAddr>() {
            Some(PeerAddr::Tcp(a)) => a.ip().to_string(),
            _ => "-".to_owned(),
        };
        (
            peer,
            req.method().clone(),
            req.uri().to_string(),
            req.version(),
            std::time::Instant::now(),
        )
    });
    let resp = respond(&state, req).await;
    if let (Some(tx), Some((peer, method, uri, version, start))) = (&state.access_log, log) {
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let _ = tx.send(format!(
            "{peer} \"{method} {uri} {}\" {} {ms:.2}ms",
            version_str(version),
            resp.status().as_u16()
        ));
    }
    resp
}

async fn respond(state: &AppState, req: Request<Body>) -> Response {
    let table = state
        .table
        .read()
        .map(|t| t.clone())
        .unwrap_or_else(|p| p.into_inner().clone());
    let mut path = decode_path(req.uri().path());
    if !path.starts_with('/') {
        // `OPTIONS *` and other non-origin forms: Werkzeug's `request.path` is always rooted.
        path.insert(0, '/');
    }
    let route = table
        .router
        .as_ref()
        .map(|r| r.match_path(&path, req.method().as_str()));
    if let Some(route) = &route {
        if let Some(resp) =
            answer_in_rust(state, &table, route, &path, req.method(), req.headers()).await
        {
            return resp;
        }
    }
    to_python(state, &table, req, path, route).await
}

/// Answers that need no Python: `None` means "ask Python".
async fn answer_in_rust(
    state: &AppState,
    table: &RouteTableData,
    route: &MatchResult,
    path: &str,
    method: &Method,
    headers: &http::HeaderMap,
) -> Option<Response> {
    match route {
        MatchResult::Matched { rule, args } => {
            if method == Method::OPTIONS && table.rust_errors && table.auto_options.contains(rule) {
                let allowed = table.router.as_ref()?.allowed_methods(path);
                return Some(options_response(&allowed));
            }
            let st = table.statics.get(rule)?;
            if !(method == Method::GET || method == Method::HEAD) {
                return None;
            }
            let filename = args.iter().find_map(|(k, v)| match (k.as_str(), v) {
                ("filename", Value::Str(s)) => Some(s.as_str()),
                _ => None,
            })?;
            let mut file_req = Request::new(Body::empty());
            *file_req.method_mut() = method.clone();
            *file_req.headers_mut() = headers.clone();
            match static_files::serve(&st.directory, filename, file_req, st.max_age, &state.mimes)
                .await
            {
                Some(resp) => Some(resp),
                None if table.rust_errors => {
                    Some(error_page(StatusCode::NOT_FOUND, &table.not_found, None))
                }
                None => None,
            }
        }
        MatchResult::NotFound if table.rust_errors => {
            Some(error_page(StatusCode::NOT_FOUND, &table.not_found, None))
        }
        MatchResult::MethodNotAllowed { allowed } if table.rust_errors => Some(error_page(
            StatusCode::METHOD_NOT_ALLOWED,
            &table.method_not_allowed,
            Some(&allowed.join(", ")),
        )),
        _ => None,
    }
}

async fn to_python(
    state: &AppState,
    table: &RouteTableData,
    req: Request<Body>,
    path: String,
    route: Option<MatchResult>,
) -> Response {
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    // A client trickling its body must not hold the connection forever (slowloris).
    let collect = collect_limited(body, declared, table.max_content_length);
    let body = match tokio::time::timeout(state.body_timeout, collect).await {
        Ok(BodyOutcome::Complete(b)) => Some(b),
        Ok(BodyOutcome::TooLarge) => None,
        Ok(BodyOutcome::Failed(_)) => {
            return plain(StatusCode::BAD_REQUEST, "Bad Request: incomplete body\n")
        }
        Err(_) => return plain(StatusCode::REQUEST_TIMEOUT, "Request Timeout\n"),
    };
    let multipart = match (
        &body,
        parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
    ) {
        (Some(b), Some(ct))
            if ct
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data") =>
        {
            crate::http::multipart::parse(ct, b.clone()).await
        }
        _ => None,
    };
    let peer = match parts.extensions.get::<PeerAddr>() {
        Some(PeerAddr::Tcp(addr)) => Some(*addr),
        _ => None,
    };
    let (tx, rx) = oneshot::channel();
    let raw = RawRequest {
        method: parts.method,
        path,
        raw_uri: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into()),
        query: parts.uri.query().unwrap_or("").to_owned(),
        headers: parts.headers,
        body,
        peer,
        server: state.server.clone(),
        scheme: "http",
        http_version: version_str(parts.version),
        route,
        router: table.py_router.clone(),
        multipart,
        reply: Mutex::new(Some(tx)),
    };
    if state.jobs.send(Job::Request(Box::new(raw))).is_err() {
        return plain(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable\n");
    }
    match rx.await {
        Ok(Reply::Full(resp)) => resp,
        Ok(Reply::Stream(head, iter)) => {
            let (head, _) = head.into_parts();
            Response::from_parts(head, stream_body(state.jobs.clone(), iter))
        }
        // The worker dropped the reply: the dispatch panicked or failed in a way already logged.
        Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error\n"),
    }
}

/// A body pulled from a Python iterator on the worker pool, one chunk at a time, with
/// back-pressure (one chunk in flight); the iterator is closed when the client goes away.
fn stream_body(jobs: Jobs, iter: Arc<pyo3::Py<pyo3::PyAny>>) -> Body {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, io::Error>>(1);
    tokio::spawn(async move {
        loop {
            let (otx, orx) = oneshot::channel();
            if jobs
                .send(Job::Next {
                    iter: iter.clone(),
                    reply: otx,
                })
                .is_err()
            {
                break;
            }
            match orx.await {
                Ok(Some(Ok(chunk))) => {
                    if chunk.is_empty() {
                        continue;
                    }
                    if tx.send(Ok(chunk)).await.is_err() {
                        let _ = jobs.send(Job::Close { iter });
                        break;
                    }
                }
                Ok(Some(Err(e))) => {
                    let _ = tx.send(Err(io::Error::other(e))).await;
                    break;
                }
                Ok(None) | Err(_) => break,
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Body::from_stream(stream)
}

fn options_response(allowed: &[String]) -> Response {
    let mut resp = Response::new(Body::empty());
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&allowed.join(", ")) {
        headers.insert(header::ALLOW, v);
    }
    resp
}

fn error_page(status: StatusCode, page: &(Bytes, String), allow: Option<&str>) -> Response {
    let mut resp = Response::new(Body::from(page.0.clone()));
    *resp.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(&page.1) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    if let Some(Ok(v)) = allow.map(HeaderValue::from_str) {
        resp.headers_mut().insert(header::ALLOW, v);
    }
    resp
}

pub fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut resp = Response::new(Body::from(text));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

fn version_str(v: Version) -> &'static str {
    match v {
        Version::HTTP_09 => "HTTP/0.9",
        Version::HTTP_10 => "HTTP/1.0",
        Version::HTTP_2 => "HTTP/2",
        Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/1.1",
    }
}
