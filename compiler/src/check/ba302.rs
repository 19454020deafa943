//! # BA302 `template-not-found`
//!
//! ## What it does
//! Reports `render_template("name.html")` when no template folder of the project's applications
//! and blueprints contains `name.html`.
//!
//! ## Why
//! Flask raises `jinja2.TemplateNotFound` at request time: a 500 for that view, on Flask and on the
//! engine alike. The build would also have nothing to compile.
//!
//! ## Example
//! ```python
//! app = Flask(__name__)            # templates/ next to this file
//! return render_template("idnex.html")
//! ```
//!
//! ## Fix
//! Correct the name, or add the template to the app's `templates/` folder (or the blueprint's
//! `template_folder`).

use std::path::{Path, PathBuf};

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Scaffold, Text};

pub const RULE: RuleInfo = RuleInfo {
    code: "BA302",
    name: "template-not-found",
    severity: Severity::Error,
    summary: "render_template names a template no template folder contains",
    fix: "correct the name or add the template",
};

/// Template folders of every app and blueprint (Flask's `root_path / template_folder`).
pub fn template_dirs(cx: &Context<'_>) -> Vec<PathBuf> {
    let folder = |s: &Scaffold| -> Option<PathBuf> {
        let dir = cx.project.files[s.loc.file]
            .path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        s.template_folder.known().map(|f| dir.join(f))
    };
    let mut dirs: Vec<PathBuf> = cx
        .model
        .apps
        .iter()
        .filter_map(|a| folder(&a.scaffold))
        .collect();
    dirs.extend(
        cx.model
            .blueprints
            .iter()
            .filter_map(|b| folder(&b.scaffold)),
    );
    dirs
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.model.apps.is_empty() {
        return;
    }
    let dirs = template_dirs(cx);
    for t in &cx.model.templates {
        let Text::Known(name) = &t.name else { continue };
        if !cx.is_target(t.loc.file) || dirs.iter().any(|d| d.join(name).is_file()) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE,
                t.loc.file,
                t.loc.range,
                format!("template `{name}` is not in any template folder"),
            )
            .label("not found")
            .help(format!(
                "Flask raises TemplateNotFound here; looked in: {}",
                dirs.iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
}
