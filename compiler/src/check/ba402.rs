//! # BA402 `view-params-mismatch`
//!
//! ## What it does
//! Compares a rule's variables with the parameters of its view function: a variable the function
//! does not accept, or a required parameter the rule does not provide (and no `defaults=` does).
//!
//! ## Why
//! Flask calls the view with the rule's variables as keyword arguments; a mismatch is a
//! `TypeError` — a 500 — on every request to that route, on Flask and on BustAPI.
//!
//! ## Example
//! ```python
//! @app.route("/user/<int:user_id>")
//! def user(id): ...
//! ```
//!
//! ## Fix
//! Make the names agree, give the parameter a default, or add `**kwargs`.

use std::collections::HashSet;

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::rule;

pub const RULE: RuleInfo = RuleInfo {
    code: "BA402",
    name: "view-params-mismatch",
    severity: Severity::Error,
    summary: "rule variables and view parameters disagree (TypeError on every request)",
    fix: "make the names agree, add a default, or accept **kwargs",
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // url_value_preprocessor hooks may pop variables before the view is called.
    let preprocessed = cx
        .model
        .apps
        .iter()
        .map(|a| &a.scaffold)
        .chain(cx.model.blueprints.iter().map(|b| &b.scaffold))
        .any(|s| {
            s.hooks
                .iter()
                .any(|h| h.kind.contains("url_value_preprocessor"))
        });
    let mut seen = HashSet::new();
    for table in cx.routes {
        for r in table {
            let (Some(rule_text), Some(params)) = (&r.rule, &r.params) else {
                continue;
            };
            if !cx.is_target(r.loc.file) || !seen.insert((r.loc, rule_text.clone())) {
                continue;
            }
            let Ok(vars) = rule::parse(rule_text) else {
                continue;
            };
            let names: Vec<&str> = vars.iter().map(|v| v.name.as_str()).collect();
            if !params.var_keyword && !preprocessed {
                for v in &names {
                    if !params.names.iter().any(|p| p == v) {
                        out.push(
                            Diagnostic::new(&RULE, r.loc.file, r.loc.range, format!("rule variable `{v}` is not a parameter of the view"))
                                .label(format!("`{v}` is passed as a keyword argument"))
                                .help(format!("add a `{v}` parameter (or **kwargs); Flask raises TypeError on every request")),
                        );
                    }
                }
            }
            if !r.defaults {
                for p in &params.required {
                    if !names.contains(&p.as_str()) {
                        out.push(
                            Diagnostic::new(&RULE, r.loc.file, r.loc.range, format!("view parameter `{p}` is not provided by the rule `{rule_text}`"))
                                .label("missing argument")
                                .help(format!("add `<{p}>` to the rule, give `{p}` a default, or pass defaults=")),
                        );
                    }
                }
            }
        }
    }
}
