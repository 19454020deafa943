//! # BA104 `run-option-ignored`
//!
//! ## What it does
//! Reports `app.run(...)` arguments the engine does not honour: `threaded`, `processes`,
//! `use_reloader`, `use_debugger`, `use_evalex`, `ssl_context`, `passthrough_errors`,
//! `request_handler`, `extra_files`, `exclude_patterns`, `reloader_interval`, `reloader_type`,
//! `static_files`, `fd`.
//!
//! ## Why
//! Under BustAPI, `app.run()` starts the engine, not Werkzeug's development server. `host`, `port`
//! and `debug` keep their meaning; the options above configure Werkzeug's server and have no effect.
//!
//! ## Example
//! ```python
//! app.run(port=8000, threaded=True, ssl_context="adhoc")
//! ```
//!
//! ## Fix
//! Drop the option, or use the `bustapi run` option that does the same (`--threads`, `--workers`,
//! `--certfile/--keyfile`, `--reload`).

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};

pub const RULE: RuleInfo = RuleInfo {
    code: "BA104",
    name: "run-option-ignored",
    severity: Severity::Warning,
    summary: "an app.run() option the engine ignores",
    fix: "drop it or use the matching `bustapi run` option",
};

/// Ignored options and what to use instead.
const IGNORED: &[(&str, &str)] = &[
    (
        "threaded",
        "the engine is always concurrent; size it with `bustapi run --threads N`",
    ),
    ("processes", "use `bustapi run --workers N`"),
    ("use_reloader", "use `bustapi run --reload`"),
    (
        "use_debugger",
        "the interactive debugger is Werkzeug's server's; it is not served",
    ),
    (
        "use_evalex",
        "the interactive debugger is Werkzeug's server's; it is not served",
    ),
    (
        "ssl_context",
        "use `bustapi run --certfile ... --keyfile ...`",
    ),
    (
        "passthrough_errors",
        "errors are handled by Flask's handlers, then logged by the engine",
    ),
    (
        "request_handler",
        "Werkzeug's request handler class is not used",
    ),
    ("extra_files", "use `bustapi run --reload`"),
    ("exclude_patterns", "use `bustapi run --reload`"),
    ("reloader_interval", "use `bustapi run --reload`"),
    ("reloader_type", "use `bustapi run --reload`"),
    (
        "static_files",
        "serve static files with the app's static folder (answered in Rust)",
    ),
    ("fd", "the engine opens its own listening socket"),
];

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for app in &cx.model.apps {
        for run in &app.run_calls {
            if !cx.is_target(run.loc.file) {
                continue;
            }
            for (name, range) in &run.options {
                if let Some((_, help)) = IGNORED.iter().find(|(n, _)| n == name) {
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            run.loc.file,
                            *range,
                            format!("`app.run({name}=...)` has no effect on the engine"),
                        )
                        .label("ignored")
                        .help(*help),
                    );
                }
            }
        }
    }
}
