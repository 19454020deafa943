//! The generated project's skeleton files, rendered from the askama templates in
//! `templates/build/` (repository root; see `compiler/askama.toml`).

use askama::Template;

use super::BuildOptions;
use crate::routes::AppTable;

/// What the skeleton templates are filled from.
pub struct Info<'a> {
    pub name: &'a str,
    pub table: &'a AppTable,
    pub options: &'a BuildOptions,
    pub pending: usize,
    pub compiled_templates: usize,
    pub total_templates: usize,
}

#[derive(Template)]
#[template(path = "build/Cargo.toml", escape = "none")]
struct CargoToml<'a> {
    name: &'a str,
    name_toml: String,
    app: &'a str,
    entry: String,
    runtime_toml: String,
}

#[derive(Template)]
#[template(path = "build/README.md", escape = "none")]
struct Readme<'a> {
    name: &'a str,
    app: &'a str,
    entry: String,
    routes: usize,
    pending: usize,
    python: &'a str,
    notes: &'a [String],
    compiled: usize,
    total_templates: usize,
}

/// A TOML basic string holding `s`.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn entry(info: &Info<'_>) -> String {
    let entry = &info.table.entry;
    let app_dir = std::path::Path::new(&info.options.app_dir);
    crate::display_path(entry.strip_prefix(app_dir).unwrap_or(entry))
}

pub fn cargo_toml(info: &Info<'_>) -> Result<String, String> {
    CargoToml {
        name: info.name,
        name_toml: toml_string(info.name),
        app: &info.table.app,
        entry: entry(info),
        runtime_toml: toml_string(&info.options.runtime.to_string_lossy()),
    }
    .render()
    .map_err(|e| format!("rendering Cargo.toml: {e}"))
}

pub fn readme(info: &Info<'_>) -> Result<String, String> {
    Readme {
        name: info.name,
        app: &info.table.app,
        entry: entry(info),
        routes: info.table.routes.len(),
        pending: info.pending,
        python: &info.options.python_executable,
        notes: &info.table.notes,
        compiled: info.compiled_templates,
        total_templates: info.total_templates,
    }
    .render()
    .map_err(|e| format!("rendering README.md: {e}"))
}
