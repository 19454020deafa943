//! Python binding of the router: `bustapi._core.Router`, built from the spec
//! `bustapi.routing.freeze_map` produces, and the conversion of match results to Python objects.
use std::sync::Arc;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyFloat, PyInt, PyString, PyTuple, PyType};

use crate::router::{BuildValue, Built, MapSpec, MatchResult, Router, RuleSpec, Value};

static UUID_TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn uuid_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    UUID_TYPE.import(py, "uuid", "UUID")
}

/// A [`Value`] as the Python object Werkzeug's converter would return (`int`, `float`, `str`, `uuid.UUID`).
/// A [`Value::BigInt`] goes through `int(str)`, so Python's digit limit raises `ValueError` as in Werkzeug.
pub fn value_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Str(s) => PyString::new(py, s).into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::BigInt(digits) => py.get_type::<PyInt>().call1((digits.as_str(),))?,
        Value::Float(f) => PyFloat::new(py, *f).into_any(),
        Value::Uuid(u) => uuid_type(py)?.call1((u.as_str(),))?,
    })
}

/// A [`MatchResult`] as the tuple `Router.match` returns: `("match", rule_index, {name: value})`,
/// `("redirect", path)`, `("not_found",)` or `("method_not_allowed", [methods])`.
/// This converts only what the result holds; `Router.match` also restores defaults the Rust side
/// cannot represent (see [`PyRouter::result_to_py`]).
pub fn match_to_py<'py>(py: Python<'py>, result: &MatchResult) -> PyResult<Bound<'py, PyTuple>> {
    match result {
        MatchResult::Matched { rule, args } => {
            let dict = PyDict::new(py);
            for (name, value) in args {
                dict.set_item(name, value_to_py(py, value)?)?;
            }
            (pyo3::intern!(py, "match"), *rule, dict).into_pyobject(py)
        }
        MatchResult::Redirect { path } => ("redirect", path.as_str()).into_pyobject(py),
        MatchResult::NotFound => ("not_found",).into_pyobject(py),
        MatchResult::MethodNotAllowed { allowed } => {
            ("method_not_allowed", allowed.clone()).into_pyobject(py)
        }
    }
}

/// Werkzeug's matching of a frozen `url_map`, in Rust.
#[pyclass(frozen, name = "Router", module = "bustapi._core")]
pub struct PyRouter {
    router: Arc<Router>,
    /// Each rule's defaults as given (the original objects, passed to views as Werkzeug passes them).
    defaults: Vec<Option<Py<PyDict>>>,
    /// Each rule's `source` entry (the `werkzeug.routing.Rule`), or `None`.
    sources: Vec<Py<PyAny>>,
}

#[pymethods]
impl PyRouter {
    #[new]
    fn py_new(spec: &Bound<'_, PyAny>) -> PyResult<PyRouter> {
        let spec = spec
            .cast::<PyDict>()
            .map_err(|_| PyTypeError::new_err("Router spec must be a dict"))?;
        let SpecRules {
            rules,
            defaults,
            sources,
        } = rules_from_spec(spec)?;
        let map = map_spec(spec, rules)?;
        let router = Router::new(map).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(PyRouter {
            router: Arc::new(router),
            defaults,
            sources,
        })
    }

    /// Match a decoded path and a method like `MapAdapter.match(path, method)`.
    #[pyo3(name = "match")]
    fn match_<'py>(
        &self,
        py: Python<'py>,
        path: &str,
        method: &str,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let result = self.router.match_path(path, method);
        self.result_to_py(py, &result)
    }

    /// The path (and query string) `MapAdapter.build(endpoint, values, method)` returns for an
    /// adapter bound to the default subdomain, script root `/` and `default_method` (Flask binds
    /// the request's method); `None` where Werkzeug has to build it (no fitting rule, a value
    /// only Python can convert, subdomains…).
    #[pyo3(signature = (endpoint, values, method=None, default_method="GET"))]
    fn build(
        &self,
        endpoint: &str,
        values: &Bound<'_, PyDict>,
        method: Option<&str>,
        default_method: &str,
    ) -> PyResult<Option<String>> {
        let mut args = Vec::with_capacity(values.len());
        for (key, value) in values.iter() {
            if value.is_none() {
                continue; // `MapAdapter.build` drops None values
            }
            let Ok(key) = key.cast_into::<PyString>() else {
                return Ok(None);
            };
            let Some(value) = build_value(&value)? else {
                return Ok(None);
            };
            args.push((key.to_str()?.to_owned(), value));
        }
        Ok(
            match self.router.build(endpoint, &args, method, default_method) {
                Built::Path(path) => Some(path),
                Built::AskWerkzeug => None,
            },
        )
    }

    /// `MapAdapter.allowed_methods(path)`, sorted.
    fn allowed_methods(&self, path: &str) -> Vec<String> {
        self.router.allowed_methods(path)
    }

    /// The `source` of each rule spec (the `werkzeug.routing.Rule`), by rule index.
    #[getter]
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.sources.iter().map(|s| s.bind(py)))
    }

    fn __repr__(&self) -> String {
        format!("<Router {} rules>", self.router.spec().rules.len())
    }
}

impl PyRouter {
    /// A router from its parts: each rule's original defaults and `source`, by rule index (used by
    /// [`crate::py::embed`] to compile a built service's static table).
    pub(crate) fn from_parts(
        router: Router,
        defaults: Vec<Option<Py<PyDict>>>,
        sources: Vec<Py<PyAny>>,
    ) -> PyRouter {
        PyRouter {
            router: Arc::new(router),
            defaults,
            sources,
        }
    }

    /// The Rust router, to match without the GIL (shared with the server's route table).
    pub fn router(&self) -> Arc<Router> {
        self.router.clone()
    }

    /// Like [`match_to_py`], with view arguments exactly as Werkzeug builds them: the converted
    /// variables, then `dict.update(rule.defaults)` with the original default objects.
    pub fn result_to_py<'py>(
        &self,
        py: Python<'py>,
        result: &MatchResult,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let MatchResult::Matched { rule, args } = result else {
            return match_to_py(py, result);
        };
        let dict = PyDict::new(py);
        let variables = self.router.variables(*rule).count();
        for (name, value) in args.iter().take(variables) {
            dict.set_item(name, value_to_py(py, value)?)?;
        }
        if let Some(Some(defaults)) = self.defaults.get(*rule) {
            dict.update(defaults.bind(py).as_mapping())?;
        }
        (pyo3::intern!(py, "match"), *rule, dict).into_pyobject(py)
    }
}

/// The rules of a `freeze_map` spec: each rule's [`RuleSpec`], its defaults as the original
/// Python objects, and its `source` (the `werkzeug.routing.Rule`, or `None`), by index.
pub struct SpecRules {
    pub rules: Vec<RuleSpec>,
    pub defaults: Vec<Option<Py<PyDict>>>,
    pub sources: Vec<Py<PyAny>>,
}

pub fn rules_from_spec(spec: &Bound<'_, PyDict>) -> PyResult<SpecRules> {
    let rules_obj = spec
        .get_item("rules")?
        .ok_or_else(|| PyTypeError::new_err("the map spec has no 'rules'"))?;
    let mut out = SpecRules {
        rules: Vec::new(),
        defaults: Vec::new(),
        sources: Vec::new(),
    };
    for item in rules_obj.try_iter()? {
        let item = item?;
        let rule = item
            .cast::<PyDict>()
            .map_err(|_| PyTypeError::new_err("each rule spec must be a dict"))?;
        let (rule_spec, py_defaults) = rule_from_py(rule)?;
        out.rules.push(rule_spec);
        out.defaults.push(py_defaults);
        out.sources.push(match rule.get_item("source")? {
            Some(source) => source.unbind(),
            None => spec.py().None(),
        });
    }
    Ok(out)
}

/// The map-level settings of a `freeze_map` spec around `rules`.
pub fn map_spec(spec: &Bound<'_, PyDict>, rules: Vec<RuleSpec>) -> PyResult<MapSpec> {
    let base = MapSpec::default();
    Ok(MapSpec {
        rules,
        strict_slashes: get(spec, "strict_slashes", base.strict_slashes)?,
        merge_slashes: get(spec, "merge_slashes", base.merge_slashes)?,
        redirect_defaults: get(spec, "redirect_defaults", base.redirect_defaults)?,
        host_matching: get(spec, "host_matching", base.host_matching)?,
        overridden_converters: get(spec, "overridden_converters", base.overridden_converters)?,
        unsupported: get(spec, "unsupported", None)?,
    })
}

/// `spec[key]` extracted, or `default` when the key is absent.
pub(crate) fn get<'py, T>(spec: &Bound<'py, PyDict>, key: &str, default: T) -> PyResult<T>
where
    T: for<'a> FromPyObject<'a, 'py>,
{
    match spec.get_item(key)? {
        None => Ok(default),
        Some(value) => value
            .extract::<T>()
            .map_err(|e| PyTypeError::new_err(format!("spec key {key:?}: {}", e.into()))),
    }
}

pub(crate) fn rule_from_py(rule: &Bound<'_, PyDict>) -> PyResult<(RuleSpec, Option<Py<PyDict>>)> {
    let text: String = get(rule, "rule", String::new())?;
    let endpoint: String = get(rule, "endpoint", String::new())?;
    let mut spec = RuleSpec::new(text, endpoint);
    spec.methods = match rule.get_item("methods")? {
        Some(methods) if !methods.is_none() => Some(
            methods
                .try_iter()?
                .map(|m| Ok(m?.extract::<String>()?.to_uppercase()))
                .collect::<PyResult<Vec<String>>>()?,
        ),
        _ => None,
    };
    spec.strict_slashes = get(rule, "strict_slashes", spec.strict_slashes)?;
    spec.merge_slashes = get(rule, "merge_slashes", spec.merge_slashes)?;
    spec.build_only = get(rule, "build_only", false)?;
    spec.endpoint_rank = get(rule, "endpoint_rank", 0)?;
    spec.subdomain = get(rule, "subdomain", String::new())?;
    spec.redirect_to = get(rule, "redirect_to", false)?;
    spec.alias = get(rule, "alias", false)?;
    spec.websocket = get(rule, "websocket", false)?;
    spec.unsupported = get(rule, "unsupported", None)?;
    let py_defaults = match rule.get_item("defaults")? {
        Some(defaults) if !defaults.is_none() => {
            let copy = PyDict::new(rule.py());
            copy.update(&defaults.cast_into::<pyo3::types::PyMapping>()?)?;
            Some(copy)
        }
        _ => None,
    };
    if let Some(defaults) = &py_defaults {
        for (key, value) in defaults.iter() {
            let Ok(key) = key.extract::<String>() else {
                spec.unsupported
                    .get_or_insert_with(|| "a default with a non-str key".into());
                continue;
            };
            match default_value(&value)? {
                Some(value) => spec.defaults.push((key, value)),
                None => spec.opaque_defaults.push(key),
            }
        }
    }
    Ok((spec, py_defaults.map(Bound::unbind)))
}

/// A default as a [`Value`] when it is exactly a `str`, `int`, `float` or `uuid.UUID`.
fn default_value(value: &Bound<'_, PyAny>) -> PyResult<Option<Value>> {
    Ok(if value.is_exact_instance_of::<PyString>() {
        Some(Value::Str(value.extract()?))
    } else if value.is_exact_instance_of::<PyInt>() {
        match value.extract::<i64>() {
            Ok(i) => Some(Value::Int(i)),
            // str() of a huge int can hit Python's digit limit: keep the object opaque then
            Err(_) => value.str().ok().map(|s| Value::BigInt(s.to_string())),
        }
    } else if value.is_exact_instance_of::<PyFloat>() {
        Some(Value::Float(value.extract()?))
    } else if value.get_type().is(uuid_type(value.py())?) {
        Some(Value::Uuid(value.str()?.to_string()))
    } else {
        None
    })
}

/// A `url_for` value the Rust builder can convert exactly: an exact `str`, `int`, `float` or
/// `uuid.UUID`, or a `list`/`tuple`/`set` of them (query-string items, None items dropped as
/// `_urlencode` drops them). `None` for anything else (`bool`, `str` subclasses, objects with
/// their own `__str__`): Werkzeug builds those.
fn build_value(value: &Bound<'_, PyAny>) -> PyResult<Option<BuildValue>> {
    use pyo3::types::{PyList, PySet, PyTuple};
    let many = value.is_exact_instance_of::<PyList>()
        || value.is_exact_instance_of::<PyTuple>()
        || value.is_exact_instance_of::<PySet>();
    if !many {
        return Ok(default_value(value)?.map(BuildValue::One));
    }
    let mut items = Vec::new();
    for item in value.try_iter()? {
        let item = item?;
        if item.is_none() {
            continue;
        }
        match default_value(&item)? {
            Some(v) => items.push(v),
            None => return Ok(None),
        }
    }
    Ok(Some(BuildValue::Many(items)))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRouter>()?;
    Ok(())
}
