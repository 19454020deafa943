//! # BA101 `removed-flask-api`
//!
//! ## What it does
//! Finds uses of Flask APIs that current Flask (3.x) no longer has: `before_first_request`,
//! `_app_ctx_stack`/`_request_ctx_stack`, `flask.json.JSONEncoder`/`JSONDecoder`,
//! `app.json_encoder`/`json_decoder`, `flask.Markup`/`flask.escape`, `flask.ext`,
//! `flask.helpers.safe_join`, `app.session_cookie_name`, and the removed `send_file` arguments
//! `attachment_filename`, `cache_timeout`, `add_etags`.
//!
//! ## Why
//! BustAPI runs the app on Flask 3.x's own application object, so these fail exactly as they would
//! on an upgraded Flask: `ImportError` or `AttributeError` at import time, `TypeError` at request
//! time.
//!
//! ## Example
//! ```python
//! from flask import Flask, _app_ctx_stack
//!
//! @app.before_first_request
//! def setup(): ...
//! ```
//!
//! ## Fix
//! Use the replacement named in the help line: setup code in the app factory (inside
//! `with app.app_context():`), `flask.g`/`current_app` instead of the stacks, a
//! `flask.json.provider.DefaultJSONProvider` subclass, `markupsafe.Markup`/`escape`,
//! `download_name=`/`max_age=`/`etag=`.

use super::util::{dotted, walk};
use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::frontend::ast::{Expr, Stmt};
use crate::frontend::Ranged;

pub const RULE: RuleInfo = RuleInfo {
    code: "BA101",
    name: "removed-flask-api",
    severity: Severity::Error,
    summary: "an API removed from Flask (fails on Flask 3.x and on BustAPI)",
    fix: "use the replacement named in the help line",
};

/// (module, name, help) for names imported from Flask modules.
const REMOVED_NAMES: &[(&str, &str, &str)] = &[
    ("flask", "_app_ctx_stack", "use `flask.g` / `flask.current_app` (removed in Flask 3.0)"),
    ("flask", "_request_ctx_stack", "use `flask.g` / `flask.request` (removed in Flask 3.0)"),
    ("flask.globals", "_app_ctx_stack", "use `flask.g` / `flask.current_app` (removed in Flask 3.0)"),
    ("flask.globals", "_request_ctx_stack", "use `flask.g` / `flask.request` (removed in Flask 3.0)"),
    ("flask", "Markup", "import it from `markupsafe` (removed from flask in 3.0)"),
    ("flask", "escape", "import it from `markupsafe` (removed from flask in 3.0)"),
    ("flask", "json_available", "JSON is always available (removed in Flask 2.3)"),
    ("flask.json", "JSONEncoder", "subclass `flask.json.provider.DefaultJSONProvider` and set `app.json_provider_class` (removed in Flask 2.3)"),
    ("flask.json", "JSONDecoder", "subclass `flask.json.provider.DefaultJSONProvider` and set `app.json_provider_class` (removed in Flask 2.3)"),
    ("flask.helpers", "safe_join", "use `werkzeug.utils.safe_join` (removed in Flask 2.1)"),
];

/// Attribute names that exist only in removed APIs.
const REMOVED_ATTRS: &[(&str, &str)] = &[
    ("before_first_request", "run setup code in the app factory, inside `with app.app_context():` (removed in Flask 2.3)"),
    ("before_app_first_request", "run setup code in the app factory, inside `with app.app_context():` (removed in Flask 2.3)"),
    ("json_encoder", "set `app.json_provider_class` to a `DefaultJSONProvider` subclass (removed in Flask 2.3)"),
    ("json_decoder", "set `app.json_provider_class` to a `DefaultJSONProvider` subclass (removed in Flask 2.3)"),
    ("session_cookie_name", "use `app.config[\"SESSION_COOKIE_NAME\"]` (removed in Flask 2.3)"),
];

const REMOVED_SEND_FILE_ARGS: &[(&str, &str)] = &[
    ("attachment_filename", "download_name"),
    ("cache_timeout", "max_age"),
    ("add_etags", "etag"),
];

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for file in cx.target_files() {
        let src = &cx.project.files[file];
        let mut found: Vec<Diagnostic> = Vec::new();
        let on_stmt = |stmt: &Stmt| match stmt {
            Stmt::ImportFrom(imp) if imp.level == 0 => {
                let module = imp.module.as_ref().map(|m| m.id.as_str()).unwrap_or("");
                if module == "flask.ext" || module.starts_with("flask.ext.") {
                    found.push(
                        Diagnostic::new(
                            &RULE,
                            file,
                            imp.range(),
                            "`flask.ext` was removed in Flask 1.0",
                        )
                        .help("import the extension's own package, e.g. `flask_sqlalchemy`"),
                    );
                }
                for alias in &imp.names {
                    if let Some((_, name, help)) = REMOVED_NAMES
                        .iter()
                        .find(|(m, n, _)| *m == module && *n == alias.name.id.as_str())
                    {
                        found.push(
                            Diagnostic::new(
                                &RULE,
                                file,
                                alias.range(),
                                format!("`{module}.{name}` no longer exists"),
                            )
                            .label("removed from Flask")
                            .help(*help),
                        );
                    }
                }
            }
            Stmt::Import(imp) => {
                for alias in &imp.names {
                    if alias.name.id.as_str().starts_with("flask.ext.") {
                        found.push(
                            Diagnostic::new(
                                &RULE,
                                file,
                                alias.range(),
                                "`flask.ext` was removed in Flask 1.0",
                            )
                            .help("import the extension's own package, e.g. `flask_sqlalchemy`"),
                        );
                    }
                }
            }
            _ => {}
        };
        let mut expr_found: Vec<Diagnostic> = Vec::new();
        let on_expr = |expr: &Expr| match expr {
            Expr::Attribute(a) => {
                let attr = a.attr.id.as_str();
                if let Some((name, help)) = REMOVED_ATTRS.iter().find(|(n, _)| *n == attr) {
                    expr_found.push(
                        Diagnostic::new(
                            &RULE,
                            file,
                            a.attr.range(),
                            format!("`{name}` was removed from Flask"),
                        )
                        .label("removed")
                        .help(*help),
                    );
                    return;
                }
                if let Some(path) = dotted(expr) {
                    let (module, name) = path.rsplit_once('.').unwrap_or(("", &path));
                    if let Some((_, _, help)) = REMOVED_NAMES
                        .iter()
                        .find(|(m, n, _)| *m == module && *n == name)
                    {
                        expr_found.push(
                            Diagnostic::new(
                                &RULE,
                                file,
                                expr.range(),
                                format!("`{path}` no longer exists"),
                            )
                            .label("removed from Flask")
                            .help(*help),
                        );
                    }
                }
            }
            Expr::Call(call) => {
                let callee = match &*call.func {
                    Expr::Name(n) => n.id.as_str(),
                    Expr::Attribute(a) => a.attr.id.as_str(),
                    _ => "",
                };
                if callee == "send_file" || callee == "send_from_directory" {
                    for kw in call.arguments.keywords.iter() {
                        let Some(arg) = &kw.arg else { continue };
                        if let Some((old, new)) = REMOVED_SEND_FILE_ARGS
                            .iter()
                            .find(|(o, _)| *o == arg.id.as_str())
                        {
                            expr_found.push(
                                Diagnostic::new(
                                    &RULE,
                                    file,
                                    kw.range(),
                                    format!("`{callee}({old}=...)` was removed in Flask 2.2"),
                                )
                                .label("removed argument")
                                .help(format!("use `{new}=`")),
                            );
                        }
                    }
                }
            }
            _ => {}
        };
        walk(src, on_expr, on_stmt);
        out.extend(found);
        out.extend(expr_found);
    }
}
