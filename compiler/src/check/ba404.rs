//! # BA404 `invalid-rule`
//!
//! ## What it does
//! Reports rules Werkzeug rejects — not starting with `/`, malformed `<...>` parts, converters
//! that are neither built in nor registered on the app — and endpoints or blueprint names with a
//! dot, which Flask rejects.
//!
//! ## Why
//! Each of these raises (`ValueError`, `LookupError`) when the rule is added: the app does not
//! start, on Flask or on BustAPI.
//!
//! ## Example
//! ```python
//! @app.route("users/<integer:id>")
//! def user(id): ...
//! ```
//!
//! ## Fix
//! Start the rule with `/`, use a known converter (`string`, `int`, `float`, `path`, `uuid`,
//! `any`) or register yours in `app.url_map.converters`, and keep dots out of endpoint names.

use std::collections::HashSet;

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{rule, Text};

pub const RULE: RuleInfo = RuleInfo {
    code: "BA404",
    name: "invalid-rule",
    severity: Severity::Error,
    summary: "a rule, converter or endpoint Werkzeug/Flask rejects at startup",
    fix: "start rules with /, use known converters, keep dots out of endpoints",
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    for (i, table) in cx.routes.iter().enumerate() {
        let converters: Vec<&str> = cx.model.apps[i]
            .converters
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        for r in table {
            let Some(rule_text) = &r.rule else { continue };
            if !cx.is_target(r.loc.file) || !seen.insert((r.loc, rule_text.clone())) {
                continue;
            }
            // A rule declared without a leading slash under a prefix is fixed by the prefix join.
            let declared = r.declared_rule.known().unwrap_or(rule_text);
            match rule::parse(rule_text) {
                Err(e) => out.push(
                    Diagnostic::new(&RULE, r.loc.file, r.loc.range, format!("invalid rule `{declared}`: {e}"))
                        .label("Werkzeug raises ValueError")
                        .help("rules start with `/`; variables are written `<name>` or `<converter:name>`"),
                ),
                Ok(vars) => {
                    for v in vars {
                        let known = rule::BUILTIN_CONVERTERS.contains(&v.converter.as_str())
                            || converters.contains(&v.converter.as_str())
                            || converters.contains(&"?");
                        if !known {
                            out.push(
                                Diagnostic::new(&RULE, r.loc.file, r.loc.range, format!("converter `{}` does not exist", v.converter))
                                    .label("Werkzeug raises LookupError")
                                    .help(format!("use one of {} or register it in app.url_map.converters", rule::BUILTIN_CONVERTERS[1..].join(", "))),
                            );
                        }
                    }
                }
            }
            if r.blueprint.is_some() {
                if let Some(e) = r.local_endpoint.as_deref().filter(|e| e.contains('.')) {
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            r.loc.file,
                            r.loc.range,
                            format!("blueprint endpoint `{e}` contains a dot"),
                        )
                        .label("Flask raises ValueError")
                        .help("dots separate blueprint names from endpoints; use `_` instead"),
                    );
                }
            }
        }
    }
    for b in &cx.model.blueprints {
        if let (Text::Known(name), true) = (&b.name, cx.is_target(b.scaffold.loc.file)) {
            if name.contains('.') {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        b.scaffold.loc.file,
                        b.scaffold.loc.range,
                        format!("blueprint name `{name}` contains a dot"),
                    )
                    .label("Flask raises ValueError")
                    .help("use `_` instead of `.` in blueprint names"),
                );
            }
        }
    }
}
