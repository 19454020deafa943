//! # BA202 `custom-converter`
//!
//! ## What it does
//! Reports custom URL converters registered with `app.url_map.converters[...] = ...`.
//!
//! ## Why
//! The engine's router implements Werkzeug's built-in converters (`string`, `int`, `float`,
//! `path`, `uuid`, `any`) in Rust. A custom converter's `regex`, `to_python` and `to_url` are
//! Python, so every URL that reaches a rule using it is matched through Python: correct, slower.
//!
//! ## Example
//! ```python
//! class ListConverter(BaseConverter): ...
//! app.url_map.converters["list"] = ListConverter
//! ```
//!
//! ## Fix
//! Where a built-in converter does the job (`<int:id>`, `<any(a,b):kind>`, `<path:p>`), use it;
//! otherwise keep the converter.

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};

pub const RULE: RuleInfo = RuleInfo {
    code: "BA202",
    name: "custom-converter",
    severity: Severity::Warning,
    summary: "a custom URL converter: rules using it are matched through Python",
    fix: "use a built-in converter where one fits",
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (i, app) in cx.model.apps.iter().enumerate() {
        for (name, at) in &app.converters {
            if !cx.is_target(at.file) {
                continue;
            }
            let uses = cx.routes[i]
                .iter()
                .filter(|r| {
                    r.rule.as_deref().is_some_and(|rule| {
                        rule.contains(&format!("<{name}:")) || rule.contains(&format!("<{name}("))
                    })
                })
                .count();
            out.push(
                Diagnostic::new(
                    &RULE,
                    at.file,
                    at.range,
                    format!(
                        "custom converter `{name}` is matched in Python ({uses} rule{} use it)",
                        if uses == 1 { "" } else { "s" }
                    ),
                )
                .label("custom converter")
                .help("use a built-in converter (string, int, float, path, uuid, any) if one fits"),
            );
        }
    }
}
