//! # BA303 `template-untranslatable`
//!
//! ## What it does
//! Reports constructs in templates (found from literal `render_template` names) that the build's
//! Jinja→askama translator ([`crate::jinja`]) cannot compile ahead of time, at their line and
//! column: computed template names in `extends`/`include`/`import`, recursive loops, `namespace`
//! assignments, a `set` inside an `if` read after it, macros or blocks reading names the template
//! sets at its top level, macro calls used as values, `scoped` blocks, `*args` in calls, Jinja
//! extensions and more. Each template is judged alone: the templates it extends, includes or
//! imports are assumed to translate (the build checks the whole set).
//!
//! ## Why
//! A template the build cannot translate is rendered by Jinja2 at run time — correct, but without
//! the compiled template's speed (FINDINGS: ~8× faster end to end). So is every template that
//! extends, includes or imports it.
//!
//! ## Example
//! ```jinja
//! {% extends layout %}
//! {% if user %}{% set greeting = "Hi" %}{% endif %}{{ greeting }}
//! ```
//!
//! ## Fix
//! Use literal template names (`{% extends "base.html" %}`); replace a `set` inside an `if` by
//! an inline `if` (`{% set greeting = "Hi" if user %}`); or accept the Jinja2 fallback.

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Text;

pub const RULE: RuleInfo = RuleInfo {
    code: "BA303",
    name: "template-untranslatable",
    severity: Severity::Info,
    summary: "a template construct the build cannot compile (falls back to Jinja2)",
    fix: "rewrite the construct, or accept the Jinja2 fallback",
};

/// Constructs of one Jinja template the translator cannot compile, as `(line, column,
/// description)`.
pub fn untranslatable(template: &str) -> Vec<(usize, usize, String)> {
    crate::jinja::untranslatable(template)
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let dirs = super::ba302::template_dirs(cx);
    let mut seen = std::collections::HashSet::new();
    for t in &cx.model.templates {
        let Text::Known(name) = &t.name else { continue };
        if !cx.is_target(t.loc.file) || !seen.insert(name.clone()) {
            continue;
        }
        let Some(path) = dirs.iter().map(|d| d.join(name)).find(|p| p.is_file()) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (line, column, what) in untranslatable(&text) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    t.loc.file,
                    t.loc.range,
                    format!("{}:{line}:{column}: {what}", path.display()),
                )
                .label("rendered by Jinja2 at run time")
                .help("rewrite the construct (see the rule's docs) or accept the Jinja2 fallback"),
            );
        }
    }
}
