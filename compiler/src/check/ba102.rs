//! # BA102 `wsgi-middleware`
//!
//! ## What it does
//! Reports an application whose `app.wsgi_app` is replaced by WSGI middleware
//! (`app.wsgi_app = ProxyFix(app.wsgi_app)`, `DispatcherMiddleware`, ...).
//!
//! ## Why
//! The engine normally hands each request straight to Flask's dispatch. With middleware in front,
//! it must build a WSGI environ and go through the middleware for every request — correct, but on
//! the slower path, and a build cannot serve those routes from its static table alone.
//!
//! ## Example
//! ```python
//! from werkzeug.middleware.proxy_fix import ProxyFix
//! app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)
//! ```
//!
//! ## Fix
//! Where the engine has an equivalent (proxy headers, static files, compression), configure it
//! instead and drop the middleware; otherwise keep it and accept the slower path, or suppress with
//! `# bustapi: ignore[BA102]`.

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};

pub const RULE: RuleInfo = RuleInfo {
    code: "BA102",
    name: "wsgi-middleware",
    severity: Severity::Warning,
    summary: "WSGI middleware wraps app.wsgi_app: served through the slower WSGI path",
    fix: "use the engine's equivalent feature, or accept the slower path",
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for app in &cx.model.apps {
        for m in &app.middleware {
            if !cx.is_target(m.loc.file) {
                continue;
            }
            let help = if m.name.contains("ProxyFix") {
                "the engine reads X-Forwarded-* itself when told to trust the proxy; drop ProxyFix and configure that"
            } else {
                "requests go through this middleware on the WSGI path; keep it only if it is needed"
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    m.loc.file,
                    m.loc.range,
                    format!(
                        "`{}` wraps `{}.wsgi_app`: every request takes the slower WSGI path",
                        m.name, app.scaffold.var
                    ),
                )
                .label("WSGI middleware")
                .help(help),
            );
        }
    }
}
