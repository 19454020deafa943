//! # BA303 `template-untranslatable`
//!
//! ## What it does
//! Reports constructs in templates (found from literal `render_template` names) that the build's
//! Jinja→askama translator ([`crate::jinja`]) cannot compile ahead of time, at their line and
//! column: computed template names in `extends`/`include`/`import`, recursive loops, `namespace`
//! assignments, a `set` inside an `if` read after it, macros or blocks reading names the template
//! sets at its top level, macro calls used as values, `scoped` blocks, `*args` in calls, Jinja
//! extensions and more. The templates of the app's template folders are judged as one set, as
//! the build translates them: a template also falls back when one it extends, includes or
//! imports does, or when a macro call does not match the imported macro.
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

use std::collections::HashSet;

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::jinja::{collect_templates, translate_set, Options};
use crate::model::Text;

pub const RULE: RuleInfo = RuleInfo {
    code: "BA303",
    name: "template-untranslatable",
    severity: Severity::Info,
    summary: "a template construct the build cannot compile (falls back to Jinja2)",
    fix: "rewrite the construct, or accept the Jinja2 fallback",
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let dirs = super::ba302::template_dirs(cx);
    let rendered: Vec<_> = cx
        .model
        .templates
        .iter()
        .filter(|t| cx.is_target(t.loc.file))
        .filter_map(|t| match &t.name {
            Text::Known(name) => Some((name.clone(), t)),
            _ => None,
        })
        .collect();
    if rendered.is_empty() {
        return;
    }
    // The whole set, as the build translates it: a template also falls back when one it
    // extends, includes or imports does.
    let set = collect_templates(&dirs);
    let pairs: Vec<(String, String)> = set
        .iter()
        .map(|s| (s.name.clone(), s.text.clone()))
        .collect();
    let outcomes = translate_set(&pairs, &Options::default());
    let mut seen = HashSet::new();
    for (name, t) in rendered {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(i) = set.iter().position(|s| s.name == name) else {
            continue;
        };
        let Err(errors) = &outcomes[i].result else {
            continue;
        };
        for u in errors {
            out.push(
                Diagnostic::new(
                    &RULE,
                    t.loc.file,
                    t.loc.range,
                    format!(
                        "{}:{}:{}: {}",
                        set[i].path.display(),
                        u.line,
                        u.column,
                        u.construct
                    ),
                )
                .label("rendered by Jinja2 at run time")
                .help("rewrite the construct (see the rule's docs) or accept the Jinja2 fallback"),
            );
        }
    }
}
