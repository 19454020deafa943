//! `bustapi._core.RouteTable`: what Rust needs to know about the app to answer without Python.
//! Built by `bustapi.serving` from `app.url_map` and the app's hooks; swapped when the map changes.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use pyo3::prelude::*;

use crate::router::Router;

use super::router::PyRouter;

#[derive(Debug, Clone)]
pub struct StaticRoute {
    pub directory: PathBuf,
    /// `SEND_FILE_MAX_AGE_DEFAULT` in seconds; `None` sends `Cache-Control: no-cache`.
    pub max_age: Option<u64>,
}

#[pyclass(frozen, module = "bustapi._core", name = "RouteTable")]
pub struct RouteTable {
    data: Arc<RouteTableData>,
}

#[pymethods]
impl RouteTable {
    #[new]
    #[pyo3(signature = (router, *, rust_errors, not_found, method_not_allowed, auto_options, statics, max_content_length))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        router: Option<Bound<'_, PyRouter>>,
        rust_errors: bool,
        not_found: (Vec<u8>, String),
        method_not_allowed: (Vec<u8>, String),
        auto_options: Vec<usize>,
        statics: HashMap<usize, (PathBuf, Option<u64>)>,
        max_content_length: Option<u64>,
    ) -> Self {
        let data = RouteTableData {
            router: router.as_ref().map(|r| r.get().router()),
            py_router: router.map(|r| Arc::new(r.unbind())),
            rust_errors,
            not_found: (Bytes::from(not_found.0), not_found.1),
            method_not_allowed: (Bytes::from(method_not_allowed.0), method_not_allowed.1),
            auto_options: auto_options.into_iter().collect(),
            statics: statics
                .into_iter()
                .map(|(k, (directory, max_age))| (k, StaticRoute { directory, max_age }))
                .collect(),
            max_content_length,
        };
        RouteTable {
            data: Arc::new(data),
        }
    }
}

impl RouteTable {
    /// The table's data, shared with the server (which swaps it atomically on `set_table`).
    pub fn snapshot(&self) -> Arc<RouteTableData> {
        self.data.clone()
    }
}

/// What Rust may answer alone, immutable once built.
pub struct RouteTableData {
    pub router: Option<Arc<Router>>,
    /// The Python side of the router, to convert matches exactly as `Router.match` does.
    pub py_router: Option<Arc<Py<PyRouter>>>,
    /// Flask would run no user code for 404/405/automatic OPTIONS: Rust may answer them.
    pub rust_errors: bool,
    pub not_found: (Bytes, String),
    pub method_not_allowed: (Bytes, String),
    /// Rule indices whose OPTIONS Flask answers itself (`provide_automatic_options`).
    pub auto_options: HashSet<usize>,
    /// Rule index → static folder, for static endpoints Rust may serve.
    pub statics: HashMap<usize, StaticRoute>,
    pub max_content_length: Option<u64>,
}
