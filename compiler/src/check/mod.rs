//! The rules. One file per rule, each with the same doc headings (what it does, why, example,
//! fix) — `docs/rules/BAxxx.md` is generated from them — and its own fixtures under
//! `compiler/tests/fixtures/rules/BAxxx/` (`pass_*.py` must give no finding, `fail_*.py` must).

mod ba001;
mod ba101;
mod ba102;
mod ba103;
mod ba104;
mod ba105;
mod ba201;
mod ba202;
mod ba301;
mod ba302;
mod ba303;
mod ba401;
mod ba402;
mod ba403;
mod ba404;

use std::collections::HashSet;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::project::Project;
use crate::model::routes::Route;
use crate::model::{FileId, Model};

/// A rule's identity and defaults.
#[derive(Debug, Serialize)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// One line: how to fix it.
    pub fix: &'static str,
}

/// What a rule sees.
pub struct Context<'a> {
    pub project: &'a Project,
    pub model: &'a Model,
    /// Route table of each application (same order as `model.apps`).
    pub routes: &'a [Vec<Route>],
    targets: HashSet<FileId>,
}

impl<'a> Context<'a> {
    pub fn new(project: &'a Project, model: &'a Model, routes: &'a [Vec<Route>]) -> Context<'a> {
        Context {
            project,
            model,
            routes,
            targets: project.targets.iter().copied().collect(),
        }
    }

    /// Findings are reported only in the files the user named.
    pub fn is_target(&self, file: FileId) -> bool {
        self.targets.contains(&file)
    }

    pub fn target_files(&self) -> impl Iterator<Item = FileId> + '_ {
        self.project.targets.iter().copied()
    }
}

type CheckFn = fn(&Context<'_>, &mut Vec<Diagnostic>);

/// Every rule, in code order, with its check.
pub const RULES: &[(&RuleInfo, CheckFn)] = &[
    (&ba001::RULE, ba001::check),
    (&ba101::RULE, ba101::check),
    (&ba102::RULE, ba102::check),
    (&ba103::RULE, ba103::check),
    (&ba104::RULE, ba104::check),
    (&ba105::RULE, ba105::check),
    (&ba201::RULE, ba201::check),
    (&ba202::RULE, ba202::check),
    (&ba301::RULE, ba301::check),
    (&ba302::RULE, ba302::check),
    (&ba303::RULE, ba303::check),
    (&ba401::RULE, ba401::check),
    (&ba402::RULE, ba402::check),
    (&ba403::RULE, ba403::check),
    (&ba404::RULE, ba404::check),
];

/// The rule table (for SARIF and docs).
pub fn rule_infos() -> &'static [RuleInfo] {
    static INFOS: std::sync::OnceLock<Vec<RuleInfo>> = std::sync::OnceLock::new();
    INFOS.get_or_init(|| {
        RULES
            .iter()
            .map(|(r, _)| RuleInfo {
                code: r.code,
                name: r.name,
                severity: r.severity,
                summary: r.summary,
                fix: r.fix,
            })
            .collect()
    })
}

/// The source of each rule file, for generating its docs page.
pub const RULE_SOURCES: &[(&str, &str)] = &[
    ("BA001", include_str!("ba001.rs")),
    ("BA101", include_str!("ba101.rs")),
    ("BA102", include_str!("ba102.rs")),
    ("BA103", include_str!("ba103.rs")),
    ("BA104", include_str!("ba104.rs")),
    ("BA105", include_str!("ba105.rs")),
    ("BA201", include_str!("ba201.rs")),
    ("BA202", include_str!("ba202.rs")),
    ("BA301", include_str!("ba301.rs")),
    ("BA302", include_str!("ba302.rs")),
    ("BA303", include_str!("ba303.rs")),
    ("BA401", include_str!("ba401.rs")),
    ("BA402", include_str!("ba402.rs")),
    ("BA403", include_str!("ba403.rs")),
    ("BA404", include_str!("ba404.rs")),
];

/// A rule's docs page: its module doc comment.
pub fn rule_doc(code: &str) -> Option<String> {
    let (_, src) = RULE_SOURCES.iter().find(|(c, _)| *c == code)?;
    let mut doc = String::new();
    for line in src.lines() {
        match line.strip_prefix("//!") {
            Some(rest) => {
                doc.push_str(rest.strip_prefix(' ').unwrap_or(rest));
                doc.push('\n');
            }
            None => break,
        }
    }
    Some(doc)
}

/// Runs every rule.
pub fn run(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (_, check) in RULES {
        check(cx, &mut out);
    }
    out
}

/// Small helpers shared by the rules.
pub(crate) mod util {
    use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};

    use crate::frontend::ast::{Expr, Stmt};
    use crate::frontend::SourceFile;

    /// Calls `f` on every expression and statement of a file, in source order.
    pub fn walk(file: &SourceFile, mut on_expr: impl FnMut(&Expr), mut on_stmt: impl FnMut(&Stmt)) {
        struct W<'f, E, S> {
            on_expr: &'f mut E,
            on_stmt: &'f mut S,
        }
        impl<'a, E: FnMut(&Expr), S: FnMut(&Stmt)> Visitor<'a> for W<'_, E, S> {
            fn visit_expr(&mut self, expr: &'a Expr) {
                (self.on_expr)(expr);
                walk_expr(self, expr);
            }
            fn visit_stmt(&mut self, stmt: &'a Stmt) {
                (self.on_stmt)(stmt);
                walk_stmt(self, stmt);
            }
        }
        let mut w = W {
            on_expr: &mut on_expr,
            on_stmt: &mut on_stmt,
        };
        for stmt in &file.module.body {
            w.visit_stmt(stmt);
        }
    }

    /// `a.b.c` for a chain of names and attributes.
    pub fn dotted(expr: &Expr) -> Option<String> {
        match expr {
            Expr::Name(n) => Some(n.id.to_string()),
            Expr::Attribute(a) => dotted(&a.value).map(|d| format!("{d}.{}", a.attr.id)),
            _ => None,
        }
    }
}
