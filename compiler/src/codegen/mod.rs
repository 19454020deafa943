//! `bustapi build`: from an application's model, a Cargo project that serves it.
//!
//! ```text
//! app model (routes::app_table) → routes.rs (route table)  ┐
//!                               → main.rs (start-up)        ├ quote → prettyplease
//!                               → build.rs                  ┘
//!                               → Cargo.toml, README.md       askama templates in templates/build/
//! ```
//!
//! Rust files are token trees pretty-printed by `prettyplease`, so they are formatted and valid by
//! construction; file skeletons are askama templates. Nothing here runs cargo or Python: the
//! caller (the `bustapi build` command) writes the files with [`write_project`] and builds.

mod main_rs;
mod routes_rs;
mod skeleton;
mod templates_rs;

pub use templates_rs::Fallback;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::routes::{app_table, AppTable};

/// What `bustapi build` knows about the environment the binary will run in.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BuildOptions {
    /// The executable's (and crate's) name; derived from the entry file when absent.
    pub name: Option<String>,
    /// The `runtime` crate's directory.
    pub runtime: PathBuf,
    /// `sys.base_prefix` of the interpreter the binary links.
    pub python_home: String,
    /// `sys.executable` of that interpreter (the virtualenv's `python`).
    pub python_executable: String,
    /// The virtualenv's site-packages directories.
    pub site_dirs: Vec<String>,
    /// The directory the application is imported from (the build's working directory).
    pub app_dir: String,
}

/// Which files to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emit {
    Routes,
    Templates,
    Project,
}

/// A generated project: files relative to its root, and what to tell the user.
#[derive(Debug)]
pub struct Generated {
    pub name: String,
    pub app: String,
    pub files: Vec<(PathBuf, String)>,
    /// Rules in the compiled table, and how many of them are resolved at start-up.
    pub routes: usize,
    pub pending: usize,
    pub notes: Vec<String>,
    /// Jinja names of the templates compiled to askama.
    pub compiled_templates: Vec<String>,
    /// Templates left to Jinja2 at run time, and why.
    pub fallback_templates: Vec<Fallback>,
}

/// Generates the project for `target` (a file, package or `module:app`, as `bustapi run` takes).
pub fn generate(
    target: &str,
    cwd: &Path,
    options: &BuildOptions,
    emit: Emit,
) -> Result<Generated, String> {
    let table = app_table(target, cwd)?;
    let name = options
        .name
        .clone()
        .unwrap_or_else(|| default_name(&table.entry));
    let name = crate_name(&name)?;
    let import = import_target(target, &table);
    let routes = routes_rs::generate(&table);
    let mut files = vec![(PathBuf::from("src/routes.rs"), routes)];
    let pending = routes_rs::pending_count(&table);
    let (compiled, fallback) = if emit == Emit::Routes {
        (Vec::new(), Vec::new())
    } else {
        let (compiled, fallback) =
            templates_rs::translate(&crate::jinja::collect_templates(&table.template_dirs));
        for c in &compiled {
            files.push((PathBuf::from("templates").join(&c.name), c.askama.clone()));
        }
        files.push((PathBuf::from("askama.toml"), templates_rs::askama_toml()));
        files.push((
            PathBuf::from("src/templates.rs"),
            templates_rs::generate(&compiled),
        ));
        (compiled, fallback)
    };
    if emit == Emit::Project {
        let info = skeleton::Info {
            name: &name,
            table: &table,
            options,
            pending,
            compiled_templates: compiled.len(),
            total_templates: compiled.len() + fallback.len(),
        };
        files.push((PathBuf::from("Cargo.toml"), skeleton::cargo_toml(&info)?));
        files.push((PathBuf::from("README.md"), skeleton::readme(&info)?));
        files.push((PathBuf::from("build.rs"), main_rs::build_rs()));
        files.push((
            PathBuf::from("src/main.rs"),
            main_rs::generate(&name, &table, &import, options),
        ));
    }
    Ok(Generated {
        name,
        app: table.app.clone(),
        routes: table.routes.len(),
        pending,
        notes: table.notes.clone(),
        compiled_templates: compiled.into_iter().map(|c| c.name).collect(),
        fallback_templates: fallback,
        files,
    })
}

/// What the binary passes to `bustapi.cli.load_app`: the entry file, absolute, with the
/// attribute (`app`, `create_app()`) when the target named one — independent of the directory
/// the binary is started from.
fn import_target(target: &str, table: &AppTable) -> String {
    let entry = table.entry.to_string_lossy().into_owned();
    match target.rsplit_once(':') {
        Some((p, attr)) if !p.is_empty() && !attr.contains('/') && !attr.contains('\\') => {
            format!("{entry}:{attr}")
        }
        _ => entry,
    }
}

fn default_name(entry: &Path) -> String {
    let stem = entry.file_stem().and_then(|s| s.to_str()).unwrap_or("app");
    if matches!(stem, "__init__" | "app" | "wsgi") {
        if let Some(dir) = entry
            .parent()
            .and_then(Path::file_name)
            .and_then(|s| s.to_str())
        {
            return dir.to_string();
        }
    }
    stem.to_string()
}

/// A valid Cargo package (and binary) name: ASCII letters, digits, `-` and `_`, starting with a
/// letter.
fn crate_name(name: &str) -> Result<String, String> {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('-').to_string();
    match cleaned.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => Ok(cleaned),
        _ => Err(format!(
            "{name:?} is not usable as an executable name; pass --name"
        )),
    }
}

/// Writes `generated` under `out`, leaving files whose content is unchanged untouched (so cargo
/// does not rebuild them). Returns the paths written.
pub fn write_project(out: &Path, generated: &Generated) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (rel, content) in &generated.files {
        let path = out.join(rel);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == *content) {
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&path, content).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(crate_name("kitchen").unwrap(), "kitchen");
        assert_eq!(crate_name("my app.v2").unwrap(), "my-app-v2");
        assert!(crate_name("2fast").is_err());
        assert_eq!(default_name(Path::new("/x/shop/__init__.py")), "shop");
        assert_eq!(default_name(Path::new("/x/shop/kitchen.py")), "kitchen");
    }
}
