//! `redirect_defaults`: Werkzeug's `MapAdapter.get_default_redirect`. A URL matching rule R, whose
//! values equal the defaults of an earlier rule r of the same endpoint and arguments, redirects to
//! r's URL (`/all/page/1` → `/all/` for `Rule('/all/', defaults={'page': 1})`).
//!
//! The candidates r of each R are found when the router is built. Where building r's URL could make
//! Werkzeug raise, or needs Python objects the router does not hold, the map is left to Werkzeug.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use super::converters::Converter;
use super::numbers::{py_cmp, BigInt, Num};
use super::quote::py_quote;
use super::rule::ParsedRule;
use super::{RouterError, RuleSpec, Value};

/// How to build one piece of a candidate's URL.
enum BuildOp {
    /// Static text (quoted) or a variable's default (converted with `to_url` in advance).
    Text(String),
    /// A variable taken from the matched values, with the candidate's converter for it.
    Var(String, Converter),
}

/// A rule r that provides defaults for the matched rule.
struct Candidate {
    rule: usize,
    build: Vec<BuildOp>,
}

/// The candidates of every rule, by rule index.
pub(crate) struct DefaultRedirects {
    candidates: Vec<Vec<Candidate>>,
}

/// A rule as default redirects and URL building see it: its spec and, unless `build_only`
/// (matching never parses those), its parsed form.
pub(crate) struct RuleView<'a> {
    pub(crate) spec: &'a RuleSpec,
    pub(crate) parsed: Option<&'a ParsedRule>,
}

impl RuleView<'_> {
    pub(crate) fn arguments(&self) -> BTreeSet<&str> {
        let defaults = self.spec.defaults.iter().map(|(k, _)| k.as_str());
        let opaque = self.spec.opaque_defaults.iter().map(String::as_str);
        let variables = self
            .parsed
            .into_iter()
            .flat_map(|p| p.converters.iter().map(|(k, _)| k.as_str()));
        defaults.chain(opaque).chain(variables).collect()
    }

    fn defaults_len(&self) -> usize {
        self.spec.defaults.len() + self.spec.opaque_defaults.len()
    }

    /// `Rule.build_compare_key`.
    pub(crate) fn build_compare_key(&self) -> (i64, i64, i64) {
        (
            i64::from(self.spec.alias),
            -(self.arguments().len() as i64),
            -(self.defaults_len() as i64),
        )
    }

    pub(crate) fn default(&self, key: &str) -> Option<&Value> {
        self.spec
            .defaults
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub(crate) fn converter(&self, key: &str) -> Option<&Converter> {
        self.parsed?
            .converters
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, c)| c)
    }
}

impl DefaultRedirects {
    /// Find the candidates for every rule; `Unsupported` where one could not be handled exactly.
    pub(crate) fn new(rules: &[RuleView<'_>]) -> Result<DefaultRedirects, RouterError> {
        let mut candidates: Vec<Vec<Candidate>> = (0..rules.len()).map(|_| Vec::new()).collect();
        for (matched, view) in rules.iter().enumerate() {
            if view.spec.build_only {
                continue;
            }
            // `Map._rules_by_endpoint[endpoint]` after `Map.update()`: sorted by `build_compare_key`.
            let mut same: Vec<usize> = (0..rules.len())
                .filter(|&i| rules[i].spec.endpoint == view.spec.endpoint)
                .collect();
            same.sort_by_key(|&i| (rules[i].build_compare_key(), rules[i].spec.endpoint_rank, i));
            for &r in same.iter().take_while(|&&r| r != matched) {
                if provides_defaults_for(&rules[r], view) {
                    candidates[matched].push(Candidate {
                        rule: r,
                        build: plan(&rules[r], view)?,
                    });
                }
            }
        }
        Ok(DefaultRedirects { candidates })
    }

    /// `get_default_redirect` for `rule` matched with `values`: the path to redirect to, if any.
    pub(crate) fn redirect(
        &self,
        rules: &[RuleSpec],
        rule: usize,
        method: &str,
        values: &[(String, Value)],
    ) -> Option<String> {
        let lookup = |key: &str| values.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        for candidate in self.candidates.get(rule)? {
            let r = &rules[candidate.rule];
            if r.methods
                .as_ref()
                .is_some_and(|m| !m.iter().any(|x| x == method))
            {
                continue;
            }
            if r.defaults
                .iter()
                .any(|(k, d)| lookup(k).is_some_and(|v| !py_eq(d, v)))
            {
                continue;
            }
            let mut path = String::new();
            for op in &candidate.build {
                match op {
                    BuildOp::Text(text) => path.push_str(text),
                    BuildOp::Var(name, converter) => {
                        path.push_str(&converter.to_url(lookup(name)?)?)
                    }
                }
            }
            return Some(format!("/{}", path.trim_start_matches('/')));
        }
        None
    }
}

/// `Rule.provides_defaults_for` (same endpoint is given).
fn provides_defaults_for(r: &RuleView<'_>, matched: &RuleView<'_>) -> bool {
    !r.spec.build_only
        && r.defaults_len() > 0
        && r.parsed.map(|p| &p.trace) != matched.parsed.map(|p| &p.trace)
        && r.arguments() == matched.arguments()
}

/// How to build r's URL from the values of `matched`, or `Unsupported` if that could raise in Werkzeug
/// or involves defaults the router only knows by name.
fn plan(r: &RuleView<'_>, matched: &RuleView<'_>) -> Result<Vec<BuildOp>, RouterError> {
    let unsupported = |why: &str| {
        Err(RouterError::Unsupported(format!(
            "default redirect from {:?} to {:?} {why}",
            matched.spec.rule, r.spec.rule
        )))
    };
    if !r.spec.opaque_defaults.is_empty() || !matched.spec.opaque_defaults.is_empty() {
        return unsupported("compares defaults that are not str/int/float/UUID");
    }
    let Some(parsed) = r.parsed else {
        return unsupported("has no parsed rule");
    };
    let mut ops = Vec::new();
    for (dynamic, text) in &parsed.trace {
        if !dynamic {
            ops.push(BuildOp::Text(py_quote(text)));
            continue;
        }
        let Some(converter) = r.converter(text) else {
            return unsupported("lacks a converter");
        };
        if let Some(value) = r.default(text) {
            match converter
                .url_safe(Some(value), None)
                .then(|| converter.to_url(value))
                .flatten()
            {
                Some(url) => ops.push(BuildOp::Text(url)),
                None => return unsupported("builds a default Werkzeug's to_url would reject"),
            }
            continue;
        }
        let safe = match matched.default(text) {
            Some(value) => converter.url_safe(Some(value), None),
            None => converter.url_safe(None, matched.converter(text)),
        };
        if !safe {
            return unsupported(&format!("converts {text:?} with a to_url that may raise"));
        }
        ops.push(BuildOp::Var(text.clone(), converter.clone()));
    }
    Ok(ops)
}

fn as_num(value: &Value) -> Option<Num> {
    match value {
        Value::Int(i) => Some(Num::Int(BigInt::from_i64(*i))),
        Value::BigInt(s) => {
            let (negative, digits) = match s.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, s.as_str()),
            };
            Some(Num::Int(BigInt::from_digits(negative, digits)))
        }
        Value::Float(f) => Some(Num::Float(*f)),
        Value::Str(_) | Value::Uuid(_) => None,
    }
}

/// Python's `==` between two values (`1 == 1.0`, `'1' != 1`, a UUID never equals a str).
pub(crate) fn py_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) | (Value::Uuid(x), Value::Uuid(y)) => x == y,
        _ => match (as_num(a), as_num(b)) {
            (Some(x), Some(y)) => py_cmp(&x, &y) == Some(Ordering::Equal),
            _ => false,
        },
    }
}
