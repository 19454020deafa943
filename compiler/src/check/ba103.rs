//! # BA103 `monkey-patching`
//!
//! ## What it does
//! Finds gevent and eventlet monkey-patching: `gevent.monkey.patch_all()`, `monkey.patch_*()`,
//! `eventlet.monkey_patch()`.
//!
//! ## Why
//! Monkey-patching replaces `socket`, `threading` and `time` with greenlet versions. The engine
//! runs views on real OS threads fed from Rust and does its I/O in tokio; patched primitives
//! called from those threads block or deadlock, and the concurrency the patch was for is provided
//! by the engine already.
//!
//! ## Example
//! ```python
//! from gevent import monkey
//! monkey.patch_all()
//! ```
//!
//! ## Fix
//! Remove the patch. Blocking views are served concurrently by the engine's worker threads
//! (`--threads`), and `async def` views run on its event loop.

use super::util::{dotted, walk};
use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::frontend::ast::Expr;
use crate::frontend::Ranged;

pub const RULE: RuleInfo = RuleInfo {
    code: "BA103",
    name: "monkey-patching",
    severity: Severity::Error,
    summary: "gevent/eventlet monkey-patching, which breaks the engine's threads",
    fix: "remove the patch; the engine's worker threads and event loop give the concurrency",
};

fn is_patch(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    last == "monkey_patch"
        || (last == "patch_all")
        || (path.contains("monkey.") && last.starts_with("patch_"))
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for file in cx.target_files() {
        let src = &cx.project.files[file];
        walk(
            src,
            |expr| {
                if let Expr::Call(call) = expr {
                    if let Some(path) = dotted(&call.func) {
                        if is_patch(&path) {
                            out.push(
                                Diagnostic::new(&RULE, file, call.range(), format!("`{path}()` monkey-patches the standard library"))
                                    .label("greenlet monkey-patching")
                                    .help("remove it: the engine serves blocking views on its own worker threads"),
                            );
                        }
                    }
                }
            },
            |_| {},
        );
    }
}
