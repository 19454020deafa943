//! # BA201 `unresolved-route`
//!
//! ## What it does
//! Reports routes and registrations that cannot be known from the source alone: rules, prefixes
//! or endpoints computed at run time, routes registered in loops, blueprints the checker cannot
//! follow to their definition, dynamic imports, and functions that register routes but are never
//! called where the checker can see it. Routes registered under a condition are reported as notes.
//!
//! ## Why
//! `bustapi build` compiles a static route table from source. What it cannot resolve it cannot put
//! in the table; the built binary then checks the live `url_map` against the table at start and
//! refuses to start if they differ. On the engine (`bustapi run`) these routes work as usual.
//!
//! ## Example
//! ```python
//! for name in ["a", "b"]:
//!     app.add_url_rule(f"/{name}", name, make_view(name))
//! ```
//!
//! ## Fix
//! Write the routes out, or build the rule from module-level string constants the checker can
//! resolve (`PREFIX = "/api"`, `f"{PREFIX}/users"`). Suppress with `# bustapi: ignore[BA201]` if
//! the app only runs on the engine.

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Methods;

pub const RULE: RuleInfo = RuleInfo {
    code: "BA201",
    name: "unresolved-route",
    severity: Severity::Warning,
    summary: "a route the build cannot make static (computed, in a loop, not followable)",
    fix: "write the route with literal strings or module-level constants",
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    for table in cx.routes {
        for r in table {
            if !cx.is_target(r.loc.file)
                || !seen.insert((r.loc, r.unresolved.clone(), r.conditional))
            {
                continue;
            }
            // A string `methods=` is BA403's finding, not an unresolvable route.
            let bad_methods = matches!(&r.raw_methods, Methods::BareString(_))
                || matches!(&r.raw_methods, Methods::Unknown(w) if w.starts_with("`methods` passed"));
            if bad_methods {
                continue;
            }
            if let Some(why) = &r.unresolved {
                out.push(
                    Diagnostic::new(&RULE, r.loc.file, r.loc.range, format!("route cannot be resolved from source: {why}"))
                        .label("not static")
                        .help("use literal strings or module-level constants so the build can compile this route"),
                );
            } else if r.conditional {
                out.push(
                    Diagnostic::new(&RULE, r.loc.file, r.loc.range, "route is registered only under a condition")
                        .severity(Severity::Info)
                        .label("conditional")
                        .help("the static table includes it; the built binary verifies the live url_map at start"),
                );
            }
        }
    }
    for u in &cx.model.unresolved {
        if cx.is_target(u.loc.file) {
            out.push(
                Diagnostic::new(&RULE, u.loc.file, u.loc.range, u.what.clone())
                    .label("not followed")
                    .help("routes behind this are missing from the static route table"),
            );
        }
    }
}
