//! URL building: Werkzeug's `MapAdapter.build` (`_partial_build`, `Rule.suitable_for`,
//! `Rule.build`), the part of `url_for` that does not depend on the request.
//!
//! [`Builder::build`] answers [`Built::Path`] only where it is sure to produce Werkzeug's exact
//! string, and [`Built::AskWerkzeug`] everywhere else: no rule fits (Werkzeug raises `BuildError`,
//! which Flask hands to `handle_url_build_error`), a converter's `to_url` would raise or needs
//! Python (`int("7")`), a default it only knows as a Python object, subdomains, websockets. The
//! caller then builds with Werkzeug, so the fast path can only ever be faster, never different.

use std::collections::HashMap;

use super::converters::Converter;
use super::defaults::{py_eq, RuleView};
use super::quote::{py_quote, py_quote_plus_query};
use super::rule::{parse_rule, ParsedRule};
use super::{MapSpec, Value};

/// A value given to `url_for` (None values are dropped before, as `MapAdapter.build` drops them).
#[derive(Debug, Clone, PartialEq)]
pub enum BuildValue {
    One(Value),
    /// A `list`, `tuple` or `set`: several query-string items (`?tag=a&tag=b`), None items
    /// already removed (`_urlencode` drops them).
    Many(Vec<Value>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Built {
    /// `"/" + path.lstrip("/")`, with the query string: join it to the script root
    /// (`f"{script_name.rstrip('/')}{path}"`).
    Path(String),
    AskWerkzeug,
}

/// One piece of a rule's URL (`Rule._compile_builder`'s `url_ops`).
#[derive(Debug, Clone)]
enum Op {
    /// Static text, quoted, or a variable with a default, resolved to its `to_url` in advance.
    Text(String),
    /// A variable converted from the given value.
    Var(String, Converter),
}

/// A rule as `_partial_build` sees it.
#[derive(Debug)]
struct BuildRule {
    methods: Option<Vec<String>>,
    /// `Rule.arguments`: the variables and the keys of the defaults.
    arguments: Vec<String>,
    defaults: Vec<(String, Value)>,
    /// Keys of defaults only Python can compare (`None`, `bool`, other objects).
    opaque_defaults: Vec<String>,
    /// `None`: building this rule needs Werkzeug (subdomain, websocket, a default `to_url`
    /// cannot be computed here, a rule string only Werkzeug parses).
    ops: Option<Vec<Op>>,
}

impl BuildRule {
    fn new(view: &RuleView<'_>) -> BuildRule {
        let spec = view.spec;
        let simple = spec.subdomain.is_empty() && !spec.websocket && spec.unsupported.is_none();
        BuildRule {
            methods: spec.methods.clone(),
            arguments: view.arguments().into_iter().map(str::to_owned).collect(),
            defaults: spec.defaults.clone(),
            opaque_defaults: spec.opaque_defaults.clone(),
            ops: if simple { plan(view) } else { None },
        }
    }

    fn has_default(&self, key: &str) -> bool {
        self.defaults.iter().any(|(k, _)| k == key) || self.opaque_defaults.iter().any(|k| k == key)
    }

    /// `Rule.suitable_for`; `None` where Python would have to compare.
    fn suitable_for(&self, values: &[(String, BuildValue)], method: Option<&str>) -> Option<bool> {
        if let (Some(method), Some(methods)) = (method, &self.methods) {
            if !methods.iter().any(|m| m == method) {
                return Some(false);
            }
        }
        let given = |key: &str| values.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        if self
            .arguments
            .iter()
            .any(|key| !self.has_default(key) && given(key).is_none())
        {
            return Some(false);
        }
        if self.opaque_defaults.iter().any(|key| given(key).is_some()) {
            return None;
        }
        let differs = self.defaults.iter().any(|(key, default)| match given(key) {
            // A list never equals a str, int, float or UUID default.
            Some(BuildValue::Many(_)) => true,
            Some(BuildValue::One(value)) => !py_eq(default, value),
            None => false,
        });
        Some(!differs)
    }

    /// `Rule.build(values, append_unknown=True)`; `None` where Werkzeug must build it.
    fn build(&self, values: &[(String, BuildValue)]) -> Option<String> {
        let mut url = String::new();
        for op in self.ops.as_ref()? {
            match op {
                Op::Text(text) => url.push_str(text),
                Op::Var(name, converter) => {
                    let value = values.iter().find(|(k, _)| k == name).map(|(_, v)| v);
                    match value? {
                        BuildValue::One(value) => url.push_str(&converter.to_url(value)?),
                        BuildValue::Many(_) => return None,
                    }
                }
            }
        }
        // `_build_unknown(**values)`: the variables and default keys are parameters, everything
        // else goes to the query string, in the order given.
        let mut query = String::new();
        for (key, value) in values.iter().filter(|(k, _)| !self.arguments.contains(k)) {
            let items = match value {
                BuildValue::One(v) => std::slice::from_ref(v),
                BuildValue::Many(vs) => vs.as_slice(),
            };
            for item in items {
                if !query.is_empty() {
                    query.push('&');
                }
                query.push_str(&py_quote_plus_query(key));
                query.push('=');
                query.push_str(&py_quote_plus_query(&super::converters::py_str(item)));
            }
        }
        let mut path = format!("/{}", url.trim_start_matches('/'));
        if !query.is_empty() {
            path.push('?');
            path.push_str(&query);
        }
        Some(path)
    }
}

/// The URL pieces of a rule, or `None` if a default in the path has no exact `to_url` here (or
/// the rule string is one only Werkzeug parses).
fn plan(view: &RuleView<'_>) -> Option<Vec<Op>> {
    let parsed = view.parsed?;
    let mut ops = Vec::with_capacity(parsed.trace.len());
    for (dynamic, text) in &parsed.trace {
        if !dynamic {
            ops.push(Op::Text(py_quote(text)));
        } else if let Some(default) = view.default(text) {
            ops.push(Op::Text(view.converter(text)?.to_url(default)?));
        } else if view.spec.opaque_defaults.contains(text) {
            return None;
        } else {
            ops.push(Op::Var(text.clone(), view.converter(text)?.clone()));
        }
    }
    Some(ops)
}

/// `Rule.build_compare_key`, then the live map's position and the spec's (stable ties).
type SortKey = (i64, i64, i64, usize, usize);

/// The rules of each endpoint in `Map._rules_by_endpoint` order.
#[derive(Debug)]
pub(crate) struct Builder {
    by_endpoint: HashMap<String, Vec<BuildRule>>,
}

impl Builder {
    /// `parsed[i]` is rule i's parse (`None` for build-only rules, parsed here).
    pub(crate) fn new(spec: &MapSpec, parsed: &[Option<ParsedRule>]) -> Builder {
        let mut keyed: Vec<(SortKey, &str, BuildRule)> = Vec::new();
        for (i, rule) in spec.rules.iter().enumerate() {
            // Matching never parses build-only rules; building needs them.
            let own;
            let parsed = match &parsed[i] {
                Some(p) => Some(p),
                None => {
                    own = parse_rule(&rule.rule, rule.merge_slashes, &spec.overridden_converters);
                    own.as_ref().ok()
                }
            };
            let view = RuleView { spec: rule, parsed };
            // `Map.update` sorts each endpoint's rules by `Rule.build_compare_key`, stably.
            let (alias, arguments, defaults) = view.build_compare_key();
            let key = (alias, arguments, defaults, rule.endpoint_rank, i);
            keyed.push((key, &rule.endpoint, BuildRule::new(&view)));
        }
        keyed.sort_by_key(|(key, _, _)| *key);
        let mut by_endpoint: HashMap<String, Vec<BuildRule>> = HashMap::new();
        for (_, endpoint, rule) in keyed {
            by_endpoint
                .entry(endpoint.to_string())
                .or_default()
                .push(rule);
        }
        Builder { by_endpoint }
    }

    /// `MapAdapter.build(endpoint, values, method)`'s path for an adapter bound to the default
    /// subdomain with `default_method` (`bind_to_environ` binds the request's method), or
    /// [`Built::AskWerkzeug`].
    pub(crate) fn build(
        &self,
        endpoint: &str,
        values: &[(String, BuildValue)],
        method: Option<&str>,
        default_method: &str,
    ) -> Built {
        let Some(rules) = self.by_endpoint.get(endpoint) else {
            return Built::AskWerkzeug;
        };
        // `_partial_build`: with no method, the adapter's default method first, then any.
        let first = method.or(Some(default_method));
        let second = method.is_none().then_some(None);
        for pass in std::iter::once(first).chain(second) {
            for rule in rules {
                match rule.suitable_for(values, pass) {
                    Some(false) => continue,
                    Some(true) => {}
                    None => return Built::AskWerkzeug,
                }
                return match rule.build(values) {
                    Some(path) => Built::Path(path),
                    None => Built::AskWerkzeug,
                };
            }
        }
        Built::AskWerkzeug
    }
}
