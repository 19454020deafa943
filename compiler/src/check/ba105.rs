//! # BA105 `extension-compat`
//!
//! ## What it does
//! Reports Flask extensions (`flask_*` packages) whose behaviour on the engine is known to differ
//! (a warning) or has not been established (a note). Extensions known to work are not reported.
//!
//! ## Why
//! BustAPI keeps Flask's application object, so extensions that only use Flask's public API
//! (hooks, config, `g`, signals, the request) work as on Flask. Extensions that bring their own
//! server, take over the socket (WebSockets) or rewrite responses at the WSGI level do not carry
//! over unchanged.
//!
//! ## Example
//! ```python
//! from flask_socketio import SocketIO
//! socketio = SocketIO(app)
//! ```
//!
//! ## Fix
//! For a known difference, follow the help line. For an unknown extension, run its part of the
//! test suite with `import bustapi.flask_patch` and report what you find. The table below is the
//! checker's copy of `docs/compatibility.md`.

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};

pub const RULE: RuleInfo = RuleInfo {
    code: "BA105",
    name: "extension-compat",
    severity: Severity::Info,
    summary: "a Flask extension whose compatibility is unknown or known to differ",
    fix: "follow the help line; test unknown extensions under bustapi.flask_patch",
};

/// Extensions that use only Flask's public API; their test suites are run on the engine.
const KNOWN_GOOD: &[&str] = &[
    "flask_sqlalchemy",
    "flask_login",
    "flask_cors",
    "flask_wtf",
    "flask_migrate",
    "flask_limiter",
    "flask_caching",
    "flask_mail",
    "flask_babel",
    "flask_session",
    "flask_jwt_extended",
    "flask_restful",
    "flask_restx",
    "flask_smorest",
    "flask_marshmallow",
    "flask_bcrypt",
    "flask_httpauth",
    "flask_principal",
    "flask_talisman",
];

/// Extensions that behave differently, with what to do.
const DIFFERS: &[(&str, &str)] = &[
    ("flask_socketio", "Flask-SocketIO needs its own eventlet/gevent server for WebSockets; run it as a separate service or use the engine's WebSocket support when it lands"),
    ("flask_sock", "Flask-Sock takes over the socket through Werkzeug's server; the engine does not expose it"),
    ("flask_compress", "the engine compresses responses itself; disable Flask-Compress to avoid compressing twice"),
    ("flask_sslify", "redirects based on the WSGI scheme; terminate TLS in the engine or the proxy instead"),
];

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ext in &cx.model.extensions {
        if !cx.is_target(ext.loc.file) || KNOWN_GOOD.contains(&ext.module.as_str()) {
            continue;
        }
        let d = match DIFFERS.iter().find(|(m, _)| *m == ext.module) {
            Some((m, help)) => Diagnostic::new(&RULE, ext.loc.file, ext.loc.range, format!("`{m}` behaves differently on the engine"))
                .severity(Severity::Warning)
                .label("known difference")
                .help(*help),
            None => Diagnostic::new(
                &RULE,
                ext.loc.file,
                ext.loc.range,
                format!("compatibility of `{}` with the engine is not known", ext.module),
            )
            .label("not yet tested")
            .help("run its tests with `import bustapi.flask_patch`; most extensions that use only Flask's API work"),
        };
        out.push(d);
    }
}
