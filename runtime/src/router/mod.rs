//! Werkzeug's URL routing semantics in Rust (no pyo3 here).
//!
//! Hand-written on purpose: no crate implements Werkzeug's rule weighting, converters, strict-slash
//! redirects and default redirects; axum's router panics on rules Flask accepts (see FINDINGS.md).
//!
//! Interface used by the rest of the engine:
//! - [`MapSpec`] / [`RuleSpec`]: the frozen `app.url_map`, built in Python by `bustapi.routing.freeze_map`.
//! - [`Router::new`] compiles it (or refuses with [`RouterError::Unsupported`], and Python matching is used).
//! - [`Router::match_path`] returns a [`MatchResult`].

/// A converted URL parameter, as Werkzeug's converter `to_python` would produce it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    /// An int that fits in i64.
    Int(i64),
    /// An int too large for i64, as its decimal digits (Python makes an `int` of it).
    BigInt(String),
    Float(f64),
    /// A UUID in its canonical lower-case hyphenated form.
    Uuid(String),
}

#[derive(Debug, Clone)]
pub struct RuleSpec {
    pub rule: String,
    pub endpoint: String,
    /// Upper-case methods; `None` means any method.
    pub methods: Option<Vec<String>>,
    pub strict_slashes: bool,
    pub merge_slashes: bool,
    /// Defaults as Python would pass them to the view.
    pub defaults: Vec<(String, Value)>,
    /// Other details of the rule the router needs (converter arguments live in `rule`).
    pub build_only: bool,
}

#[derive(Debug, Clone)]
pub struct MapSpec {
    pub rules: Vec<RuleSpec>,
    pub strict_slashes: bool,
    pub merge_slashes: bool,
    pub redirect_defaults: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MatchResult {
    /// The index of the matched rule in `MapSpec::rules` and its converted arguments (defaults included).
    Matched { rule: usize, args: Vec<(String, Value)> },
    /// Werkzeug's `RequestRedirect` (308): the new path (absolute path, query string not included).
    Redirect { path: String },
    NotFound,
    /// 405, with the methods valid for this path.
    MethodNotAllowed { allowed: Vec<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub enum RouterError {
    /// The map uses something the Rust router leaves to Werkzeug (custom converters, host matching…).
    Unsupported(String),
    /// The rule string is malformed.
    Invalid(String),
}

pub struct Router {
    spec: MapSpec,
}

impl Router {
    pub fn new(spec: MapSpec) -> Result<Router, RouterError> {
        Ok(Router { spec })
    }

    pub fn spec(&self) -> &MapSpec {
        &self.spec
    }

    /// Match a decoded path (as Werkzeug's `PATH_INFO`) and an upper-case method.
    pub fn match_path(&self, path: &str, method: &str) -> MatchResult {
        let _ = (path, method);
        MatchResult::NotFound
    }

    /// The methods allowed for `path` across all rules (for automatic OPTIONS), sorted.
    pub fn allowed_methods(&self, path: &str) -> Vec<String> {
        let _ = path;
        Vec::new()
    }
}
