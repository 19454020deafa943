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
use std::path::{Path, PathBuf};

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::jinja::{translate_set, Options};
use crate::model::Text;

pub const RULE: RuleInfo = RuleInfo {
    code: "BA303",
    name: "template-untranslatable",
    severity: Severity::Info,
    summary: "a template construct the build cannot compile (falls back to Jinja2)",
    fix: "rewrite the construct, or accept the Jinja2 fallback",
};

/// Every template under the template folders, by Jinja name (the first folder holding a name
/// wins, as Flask's loader searches them in order). Bounded: a template folder is not a dump.
fn template_set(dirs: &[PathBuf]) -> Vec<(String, String, PathBuf)> {
    fn walk(root: &Path, dir: &Path, depth: usize, out: &mut Vec<(String, String, PathBuf)>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if out.len() >= 5000 {
                return;
            }
            if p.is_dir() && !p.is_symlink() && depth < 16 {
                walk(root, &p, depth + 1, out);
            } else if p.is_file() && p.metadata().is_ok_and(|m| m.len() < 1 << 20) {
                let (Ok(rel), Ok(text)) = (p.strip_prefix(root), std::fs::read_to_string(&p))
                else {
                    continue;
                };
                let name = rel.to_string_lossy().replace('\\', "/");
                out.push((name, text, p.clone()));
            }
        }
    }
    let mut all = Vec::new();
    for d in dirs {
        walk(d, d, 0, &mut all);
    }
    let mut seen = HashSet::new();
    all.retain(|(name, _, _)| seen.insert(name.clone()));
    all
}

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
    let set = template_set(&dirs);
    let pairs: Vec<(String, String)> = set.iter().map(|(n, s, _)| (n.clone(), s.clone())).collect();
    let outcomes = translate_set(&pairs, &Options::default());
    let mut seen = HashSet::new();
    for (name, t) in rendered {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(i) = set.iter().position(|(n, _, _)| *n == name) else {
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
                        set[i].2.display(),
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
