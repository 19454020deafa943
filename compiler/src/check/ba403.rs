//! # BA403 `unreachable-methods`
//!
//! ## What it does
//! Reports methods a route can never answer: `methods="GET"` (a string, which Flask rejects),
//! `methods=` on the `get`/`post`/... shortcuts (rejected too), method names that are not HTTP
//! methods (typos like `"PSOT"`), and a rule whose methods are all taken by an earlier identical
//! rule.
//!
//! ## Why
//! Werkzeug matches the first rule that fits, so a later identical rule with the same methods
//! never runs; a misspelt method is never sent by clients; the first two fail when the app starts.
//!
//! ## Example
//! ```python
//! @app.route("/items", methods=["GET"])
//! def list_items(): ...
//!
//! @app.route("/items")          # GET again: never reached
//! def items_v2(): ...
//! ```
//!
//! ## Fix
//! Remove or merge the shadowed route, correct the method name, pass a list.

use std::collections::{HashMap, HashSet};

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Loc, Methods};

pub const RULE: RuleInfo = RuleInfo {
    code: "BA403",
    name: "unreachable-methods",
    severity: Severity::Warning,
    summary: "a route method that can never match",
    fix: "remove the shadowed route, correct the method name, or pass a list",
};

const HTTP_METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
];

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut reported = HashSet::new();
    for table in cx.routes {
        let mut taken: HashMap<(String, Option<String>), (HashSet<String>, Loc)> = HashMap::new();
        for r in table {
            if !cx.is_target(r.loc.file) || !reported.insert((r.loc, r.rule.clone())) {
                if let (Some(rule), None, false) = (&r.rule, &r.unresolved, r.conditional) {
                    let entry = taken
                        .entry((rule.clone(), r.subdomain.clone()))
                        .or_insert((HashSet::new(), r.loc));
                    entry.0.extend(r.methods.iter().cloned());
                }
                continue;
            }
            match &r.raw_methods {
                Methods::BareString(s) => out.push(
                    Diagnostic::new(
                        &RULE,
                        r.loc.file,
                        r.loc.range,
                        format!("methods given as the string {s:?}"),
                    )
                    .severity(Severity::Error)
                    .label("a string, not a list")
                    .help(format!(
                        "write methods=[{s:?}]; Flask raises TypeError for a string"
                    )),
                ),
                Methods::Unknown(why) if why.starts_with("`methods` passed to a shortcut") => out
                    .push(
                        Diagnostic::new(
                            &RULE,
                            r.loc.file,
                            r.loc.range,
                            format!("`{}` does not take methods=", r_via(r)),
                        )
                        .severity(Severity::Error)
                        .label("TypeError when the app starts")
                        .help("use @route(rule, methods=[...]) instead"),
                    ),
                Methods::Known(ms) => {
                    for m in ms {
                        if !HTTP_METHODS.contains(&m.to_uppercase().as_str()) {
                            out.push(
                                Diagnostic::new(
                                    &RULE,
                                    r.loc.file,
                                    r.loc.range,
                                    format!("`{m}` is not an HTTP method"),
                                )
                                .label("never sent by clients")
                                .help(format!("one of {}", HTTP_METHODS.join(", "))),
                            );
                        }
                    }
                }
                _ => {}
            }
            let (Some(rule), None, false) = (&r.rule, &r.unresolved, r.conditional) else {
                continue;
            };
            let key = (rule.clone(), r.subdomain.clone());
            let own: HashSet<String> = r
                .methods
                .iter()
                .filter(|m| *m != "HEAD" && *m != "OPTIONS")
                .cloned()
                .collect();
            if let Some((methods, at)) = taken.get(&key) {
                if !own.is_empty() && own.is_subset(methods) {
                    let prev = &cx.project.files[at.file];
                    let line = prev.line_col(at.range.start()).line;
                    let mut list: Vec<_> = own.iter().cloned().collect();
                    list.sort();
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            r.loc.file,
                            r.loc.range,
                            format!(
                                "`{rule}` {} is already handled by an earlier rule",
                                list.join(", ")
                            ),
                        )
                        .label("never matches")
                        .help(format!(
                            "the rule at {}:{line} matches first; remove or merge this route",
                            prev.path.display()
                        )),
                    );
                }
            }
            let entry = taken.entry(key).or_insert((HashSet::new(), r.loc));
            entry.0.extend(r.methods.iter().cloned());
        }
    }
}

fn r_via(r: &crate::model::routes::Route) -> String {
    r.view
        .clone()
        .map_or_else(|| "shortcut".into(), |v| format!("route for {v}"))
}
