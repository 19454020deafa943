//! # BA001 `syntax-error`
//!
//! ## What it does
//! Reports Python source the parser cannot read: syntax errors (all of them, each with its line and
//! column; the parser recovers and keeps going) and files that are not valid UTF-8.
//!
//! ## Why
//! A file that does not parse does not import. Everything the checker says about routes in it is
//! from a partial syntax tree, and the build cannot compile it.
//!
//! ## Example
//! ```python
//! @app.route("/")
//! def index(:
//!     return "hi"
//! ```
//!
//! ## Fix
//! Fix the syntax error; `python -m py_compile file.py` gives CPython's view of it.

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};

pub const RULE: RuleInfo = RuleInfo {
    code: "BA001",
    name: "syntax-error",
    severity: Severity::Error,
    summary: "Python source that does not parse",
    fix: "fix the syntax error (python -m py_compile shows CPython's view)",
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for file in cx.target_files() {
        for error in &cx.project.files[file].errors {
            out.push(
                Diagnostic::new(
                    &RULE,
                    file,
                    error.range,
                    format!("syntax error: {}", error.message),
                )
                .label("here"),
            );
        }
    }
}
