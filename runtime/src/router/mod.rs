//! Werkzeug's URL routing semantics in Rust (no pyo3 here).
//!
//! Hand-written on purpose: no crate implements Werkzeug's rule weighting, converters, strict-slash
//! redirects and default redirects; axum's router panics on rules Flask accepts (see FINDINGS.md).
//! This is a port of werkzeug 3.1's `routing` package, quirks included; `tests/test_router_differential.py`
//! compares it with Werkzeug on random rule sets and URLs.
//!
//! Interface used by the rest of the engine:
//! - [`MapSpec`] / [`RuleSpec`]: the frozen `app.url_map`, built in Python by `bustapi.routing.freeze_map`.
//! - [`Router::new`] compiles it (or refuses with [`RouterError::Unsupported`], and Python matching is used).
//! - [`Router::match_path`] returns a [`MatchResult`]; [`Router::build`] builds a URL (`url_for`).
//!
//! Files: `rule.rs` parses rule strings, `args.rs` converter arguments, `converters.rs` the built-in
//! converters, `numbers.rs` Python's number semantics, `matcher.rs` the state machine, `defaults.rs`
//! default redirects, `quote.rs` URL quoting,
//! `build.rs` URL building (`url_for`).

mod args;
mod build;
mod converters;
mod defaults;
mod matcher;
mod numbers;
mod quote;
mod rule;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::BTreeSet;

use build::Builder;
pub use build::{BuildValue, Built};
use defaults::{DefaultRedirects, RuleView};
use matcher::{Found, MatchRule, Matcher};
use rule::{parse_rule, ParsedRule};

/// A converted URL parameter, as Werkzeug's converter `to_python` would produce it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    /// An int that fits in i64.
    Int(i64),
    /// An int too large for i64, as its decimal digits with a leading `-` if negative (Python makes an
    /// `int` of it).
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
    /// As bound to the map (`Rule.strict_slashes` after `Rule.bind`).
    pub strict_slashes: bool,
    /// As bound to the map (`Rule.merge_slashes` after `Rule.bind`).
    pub merge_slashes: bool,
    /// Defaults as Python would pass them to the view.
    pub defaults: Vec<(String, Value)>,
    /// Other details of the rule the router needs (converter arguments live in `rule`).
    pub build_only: bool,
    /// Keys of defaults whose values [`Value`] cannot hold (`bool`, `None`, other objects), in the
    /// order of the defaults mapping; they are absent from [`MatchResult::Matched`] args (the Python
    /// binding adds the original objects).
    pub opaque_defaults: Vec<String>,
    /// Position of the rule in `Map.iter_rules(endpoint)` (Werkzeug's order for default redirects);
    /// ties, e.g. all 0 in a hand-written spec, keep the order of `MapSpec::rules`.
    pub endpoint_rank: usize,
    /// The subdomain after binding (`""`: none). Anything else is left to Werkzeug.
    pub subdomain: String,
    /// `Rule.redirect_to` is set: left to Werkzeug.
    pub redirect_to: bool,
    /// `Rule.alias`: left to Werkzeug when the map has `redirect_defaults`.
    pub alias: bool,
    /// `Rule.websocket`: left to Werkzeug.
    pub websocket: bool,
    /// Set by Python when it knows the rule needs Werkzeug (a `Rule` subclass…): the reason.
    pub unsupported: Option<String>,
}

impl RuleSpec {
    /// A rule with Werkzeug's defaults: any method, strict and merged slashes, no defaults.
    pub fn new(rule: impl Into<String>, endpoint: impl Into<String>) -> RuleSpec {
        RuleSpec {
            rule: rule.into(),
            endpoint: endpoint.into(),
            methods: None,
            strict_slashes: true,
            merge_slashes: true,
            defaults: vec![],
            build_only: false,
            opaque_defaults: vec![],
            endpoint_rank: 0,
            subdomain: String::new(),
            redirect_to: false,
            alias: false,
            websocket: false,
            unsupported: None,
        }
    }
}

/// The rules in the order that rebuilds Werkzeug's matcher (see `bustapi.routing.freeze_map`): rules
/// of one matcher state, and dynamic transitions of equal weight, keep their relative order.
#[derive(Debug, Clone)]
pub struct MapSpec {
    pub rules: Vec<RuleSpec>,
    pub strict_slashes: bool,
    pub merge_slashes: bool,
    pub redirect_defaults: bool,
    /// `Map.host_matching`: left to Werkzeug.
    pub host_matching: bool,
    /// Built-in converter names the map binds to another class (those rules are left to Werkzeug).
    pub overridden_converters: Vec<String>,
    /// Set by Python when it knows the map needs Werkzeug: the reason.
    pub unsupported: Option<String>,
}

impl Default for MapSpec {
    /// `werkzeug.routing.Map()`'s settings, no rules.
    fn default() -> MapSpec {
        MapSpec {
            rules: vec![],
            strict_slashes: true,
            merge_slashes: true,
            redirect_defaults: true,
            host_matching: false,
            overridden_converters: vec![],
            unsupported: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum MatchResult {
    /// The index of the matched rule in `MapSpec::rules` and its converted arguments (defaults included).
    Matched {
        rule: usize,
        args: Vec<(String, Value)>,
    },
    /// Werkzeug's `RequestRedirect` (308): the new path (absolute path, query string not included),
    /// percent-encoded as Werkzeug puts it in `Location`, relative to the script root.
    Redirect {
        path: String,
    },
    NotFound,
    /// 405, with the methods valid for this path.
    MethodNotAllowed {
        allowed: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum RouterError {
    /// The map uses something the Rust router leaves to Werkzeug (custom converters, host matching…).
    Unsupported(String),
    /// The rule string is malformed.
    Invalid(String),
}

impl std::fmt::Display for RouterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RouterError::Unsupported(why) => write!(f, "unsupported by the Rust router: {why}"),
            RouterError::Invalid(why) => write!(f, "invalid rule: {why}"),
        }
    }
}

impl std::error::Error for RouterError {}

pub struct Router {
    spec: MapSpec,
    /// Parsed rules (`None` for build-only rules, which never match).
    parsed: Vec<Option<ParsedRule>>,
    matcher: Matcher,
    defaults: Option<DefaultRedirects>,
    builder: Builder,
}

fn check_supported(spec: &MapSpec) -> Result<(), RouterError> {
    let unsupported = |why: String| Err(RouterError::Unsupported(why));
    if let Some(why) = &spec.unsupported {
        return unsupported(why.clone());
    }
    if spec.host_matching {
        return unsupported("host matching".into());
    }
    for rule in spec.rules.iter().filter(|r| !r.build_only) {
        let what = if let Some(why) = &rule.unsupported {
            why.clone()
        } else if !rule.subdomain.is_empty() {
            format!("subdomain {:?}", rule.subdomain)
        } else if rule.redirect_to {
            "redirect_to".into()
        } else if rule.websocket {
            "a websocket rule".into()
        } else if rule.alias && spec.redirect_defaults {
            "an alias rule".into()
        } else {
            continue;
        };
        return unsupported(format!("rule {:?}: {what}", rule.rule));
    }
    Ok(())
}

impl Router {
    pub fn new(spec: MapSpec) -> Result<Router, RouterError> {
        check_supported(&spec)?;
        let mut parsed = Vec::with_capacity(spec.rules.len());
        for rule in &spec.rules {
            parsed.push(if rule.build_only {
                None
            } else {
                Some(parse_rule(
                    &rule.rule,
                    rule.merge_slashes,
                    &spec.overridden_converters,
                )?)
            });
        }
        let match_rules = spec
            .rules
            .iter()
            .map(|r| MatchRule {
                methods: r.methods.clone(),
                strict_slashes: r.strict_slashes,
            })
            .collect();
        let mut matcher = Matcher::new(match_rules);
        for (index, rule) in parsed.iter().enumerate() {
            if let Some(rule) = rule {
                matcher.add(index, &rule.parts)?;
            }
        }
        matcher.update();
        let defaults = if spec.redirect_defaults {
            let views: Vec<RuleView<'_>> = spec
                .rules
                .iter()
                .zip(&parsed)
                .map(|(spec, parsed)| RuleView {
                    spec,
                    parsed: parsed.as_ref(),
                })
                .collect();
            Some(DefaultRedirects::new(&views)?)
        } else {
            None
        };
        let builder = Builder::new(&spec, &parsed);
        Ok(Router {
            spec,
            parsed,
            matcher,
            defaults,
            builder,
        })
    }

    pub fn spec(&self) -> &MapSpec {
        &self.spec
    }

    /// The variables of `rule` (`Rule._converters` keys, in order): the first entries of its
    /// [`MatchResult::Matched`] args; the rest are defaults.
    pub fn variables(&self, rule: usize) -> impl Iterator<Item = &str> {
        self.parsed
            .get(rule)
            .into_iter()
            .flatten()
            .flat_map(|p| p.converters.iter().map(|(name, _)| name.as_str()))
    }

    /// Match a decoded path (as Werkzeug's `PATH_INFO`) and a method (`MapAdapter.match`).
    pub fn match_path(&self, path: &str, method: &str) -> MatchResult {
        // Werkzeug's `method.upper()` and rooted path, borrowed when already so (the usual case).
        let method: Cow<'_, str> = if method.is_empty() {
            Cow::Borrowed("GET")
        } else if method.bytes().any(|b| b.is_ascii_lowercase()) || !method.is_ascii() {
            Cow::Owned(method.to_uppercase())
        } else {
            Cow::Borrowed(method)
        };
        let path: Cow<'_, str> =
            if path.is_empty() || (path.starts_with('/') && !path.starts_with("//")) {
                Cow::Borrowed(path)
            } else {
                Cow::Owned(format!("/{}", path.trim_start_matches('/')))
            };
        let mut have_match_for = BTreeSet::new();
        let found = self.matcher.find(&path, &method, &mut have_match_for);
        let (rule, values) = match found {
            Found::Rule(rule, values) => (rule, values),
            Found::SlashRequired => return redirect_to_path(&format!("{path}/")),
            Found::None if self.spec.merge_slashes => {
                let merged = path.replace("//", "/");
                return match self.matcher.find(&merged, &method, &mut have_match_for) {
                    Found::SlashRequired => redirect_to_path(&format!("{merged}/")),
                    Found::Rule(rule, _) if self.spec.rules[rule].merge_slashes => {
                        redirect_to_path(&merged)
                    }
                    _ => no_match(have_match_for),
                };
            }
            Found::None => return no_match(have_match_for),
        };
        let Some(parsed) = self.parsed.get(rule).and_then(Option::as_ref) else {
            return no_match(have_match_for);
        };
        let mut args =
            Vec::with_capacity(parsed.converters.len() + self.spec.rules[rule].defaults.len());
        for ((name, converter), raw) in parsed.converters.iter().zip(values) {
            match converter.to_python(raw) {
                Ok(value) => args.push((name.clone(), value)),
                Err(()) => return no_match(have_match_for),
            }
        }
        for (key, value) in &self.spec.rules[rule].defaults {
            match args.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value.clone(),
                None => args.push((key.clone(), value.clone())),
            }
        }
        if let Some(defaults) = &self.defaults {
            if let Some(path) = defaults.redirect(&self.spec.rules, rule, &method, &args) {
                return MatchResult::Redirect { path };
            }
        }
        MatchResult::Matched { rule, args }
    }

    /// `MapAdapter.build(endpoint, values, method)` for an adapter bound to the default
    /// subdomain with `default_method`, as a path to join to the script root, where it can be
    /// built exactly here (see [`Built`]).
    pub fn build(
        &self,
        endpoint: &str,
        values: &[(String, BuildValue)],
        method: Option<&str>,
        default_method: &str,
    ) -> Built {
        self.builder.build(endpoint, values, method, default_method)
    }

    /// The methods allowed for `path` (for automatic OPTIONS), sorted: Werkzeug's
    /// `MapAdapter.allowed_methods`, which matches with the method `--` and reads the 405 (so a path
    /// matched by a rule without methods, or redirected, gives an empty list).
    pub fn allowed_methods(&self, path: &str) -> Vec<String> {
        match self.match_path(path, "--") {
            MatchResult::MethodNotAllowed { allowed } => allowed,
            _ => Vec::new(),
        }
    }
}

/// `RequestPath` → `RequestRedirect`: the path quoted, then joined to the (empty) script root.
fn redirect_to_path(path: &str) -> MatchResult {
    MatchResult::Redirect {
        path: format!("/{}", quote::py_quote(path).trim_start_matches('/')),
    }
}

fn no_match(have_match_for: BTreeSet<String>) -> MatchResult {
    if have_match_for.is_empty() {
        MatchResult::NotFound
    } else {
        MatchResult::MethodNotAllowed {
            allowed: have_match_for.into_iter().collect(),
        }
    }
}
