//! # BA303 `template-untranslatable`
//!
//! ## What it does
//! Reports templates (found from literal `render_template` names) that use constructs the
//! Jinja→askama translation cannot compile ahead of time. Today: `extends`, `include`, `import`
//! and `from` with a computed template name. The build's translator extends this list through
//! [`untranslatable`], the hook this rule calls.
//!
//! ## Why
//! A template the build cannot translate is rendered by Jinja2 at run time — correct, but without
//! the compiled template's speed (FINDINGS: ~8× faster end to end).
//!
//! ## Example
//! ```jinja
//! {% extends layout %}
//! ```
//!
//! ## Fix
//! Use literal names (`{% extends "base.html" %}`), or accept the Jinja2 fallback.

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Text;

pub const RULE: RuleInfo = RuleInfo {
    code: "BA303",
    name: "template-untranslatable",
    severity: Severity::Info,
    summary: "a template construct the build cannot compile (falls back to Jinja2)",
    fix: "use literal template names in extends/include/import",
};

/// The translation hook: constructs in a Jinja template the build cannot translate, as
/// `(line, description)`. The build issue's translator replaces this with its own verdicts.
pub fn untranslatable(template: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (i, line) in template.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{%") {
            let tag = rest[start + 2..]
                .trim_start_matches(['-', '+'])
                .trim_start();
            for kw in ["extends", "include", "import", "from"] {
                if let Some(arg) = tag.strip_prefix(kw) {
                    if arg.starts_with(char::is_whitespace) {
                        let arg = arg.trim_start();
                        if !(arg.starts_with('"') || arg.starts_with('\'')) {
                            found.push((
                                i + 1,
                                format!("`{{% {kw} %}}` with a computed template name"),
                            ));
                        }
                    }
                }
            }
            rest = &rest[start + 2..];
        }
    }
    found
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
        for (line, what) in untranslatable(&text) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    t.loc.file,
                    t.loc.range,
                    format!("{}:{line}: {what}", path.display()),
                )
                .label("rendered by Jinja2 at run time")
                .help("use a literal template name so the build can compile it"),
            );
        }
    }
}
