//! # BA401 `duplicate-endpoint`
//!
//! ## What it does
//! Reports two different view functions registered under the same endpoint name in one
//! application (two views with the same function name in one blueprint, a copy-pasted
//! `endpoint=`, a second `as_view("name")`).
//!
//! ## Why
//! Flask raises `AssertionError: View function mapping is overwriting an existing endpoint
//! function` when the second one is registered: the app does not start, on Flask or on BustAPI.
//! (The same function under several rules is fine, and not reported.)
//!
//! ## Example
//! ```python
//! @bp.route("/a")
//! def index(): ...
//!
//! @bp.route("/b")
//! def index(): ...   # endpoint "bp.index" again
//! ```
//!
//! ## Fix
//! Rename one function or pass a distinct `endpoint=`.

use std::collections::HashMap;

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Loc;

pub const RULE: RuleInfo = RuleInfo {
    code: "BA401",
    name: "duplicate-endpoint",
    severity: Severity::Error,
    summary: "two view functions share an endpoint (Flask raises AssertionError)",
    fix: "rename one view or give it a distinct endpoint=",
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for table in cx.routes {
        let mut first: HashMap<&str, (Option<Loc>, Loc)> = HashMap::new();
        for r in table {
            if r.unresolved.is_some() || r.conditional {
                continue;
            }
            let Some(endpoint) = r.endpoint.as_deref() else {
                continue;
            };
            match first.get(endpoint) {
                None => {
                    first.insert(endpoint, (r.origin, r.loc));
                }
                Some((origin, at)) => {
                    if *origin == r.origin && !r.is_static || !cx.is_target(r.loc.file) {
                        continue;
                    }
                    let prev = &cx.project.files[at.file];
                    let line = prev.line_col(at.range.start()).line;
                    out.push(
                        Diagnostic::new(&RULE, r.loc.file, r.loc.range, format!("endpoint `{endpoint}` is already mapped to another view function"))
                            .label("second view for this endpoint")
                            .help(format!(
                                "first registered at {}:{line}; Flask raises AssertionError here — rename the view or pass endpoint=",
                                prev.path.display()
                            )),
                    );
                }
            }
        }
    }
}
