//! # BA301 `template-name-dynamic`
//!
//! ## What it does
//! Reports `render_template(...)` calls whose template name is not a string literal.
//!
//! ## Why
//! `bustapi build` compiles the templates an app renders into Rust. It finds them by their literal
//! names at the call sites; a computed name (`render_template(page + ".html")`) cannot be compiled
//! ahead of time and falls back to Jinja2 at run time. On the engine it works as on Flask.
//!
//! ## Example
//! ```python
//! return render_template(f"{kind}.html", item=item)
//! ```
//!
//! ## Fix
//! Choose between literal names (`if kind == "a": return render_template("a.html")`), or accept
//! the Jinja2 fallback for this call.

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Text;

pub const RULE: RuleInfo = RuleInfo {
    code: "BA301",
    name: "template-name-dynamic",
    severity: Severity::Info,
    summary: "render_template with a computed name: the build falls back to Jinja2",
    fix: "use literal template names where the build should compile the template",
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for t in &cx.model.templates {
        if let (true, Text::Unknown(expr)) = (cx.is_target(t.loc.file), &t.name) {
            out.push(
                Diagnostic::new(&RULE, t.loc.file, t.loc.range, format!("template name `{expr}` is computed"))
                    .label("not a literal")
                    .help("the build compiles templates named by literals; this one is rendered by Jinja2 at run time"),
            );
        }
    }
}
