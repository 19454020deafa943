//! # BA301 `template-name-dynamic`
//!
//! ## What it does
//! Reports `render_template(...)` calls whose template name is not a string literal.
//!
//! ## Why
//! `bustapi build` compiles every template in the app's template folders, so a computed name
//! (`render_template(page + ".html")`) is served compiled like any other — but nothing can check
//! before run time that it names a template that exists (BA302 does that for literal names), or
//! that it does not name one outside the folders (a custom loader), which Jinja2 renders. On the
//! engine it works as on Flask.
//!
//! ## Example
//! ```python
//! return render_template(f"{kind}.html", item=item)
//! ```
//!
//! ## Fix
//! Nothing is needed when the names are known to exist; literal names
//! (`if kind == "a": return render_template("a.html")`) let the checker verify them.

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Text;

pub const RULE: RuleInfo = RuleInfo {
    code: "BA301",
    name: "template-name-dynamic",
    severity: Severity::Info,
    summary: "render_template with a computed name: not checked before run time",
    fix: "use literal template names where the checker should verify them",
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for t in &cx.model.templates {
        if let (true, Text::Unknown(expr)) = (cx.is_target(t.loc.file), &t.name) {
            out.push(
                Diagnostic::new(&RULE, t.loc.file, t.loc.range, format!("template name `{expr}` is computed"))
                    .label("not a literal")
                    .help("templates in the app's folders are compiled whatever their name; this one cannot be checked before run time"),
            );
        }
    }
}
