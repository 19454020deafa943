//! Options of a `check` run: from the command line (as JSON from the Python CLI) merged over
//! `[tool.bustapi]` in the nearest `pyproject.toml`.
//!
//! ```toml
//! [tool.bustapi]
//! select = ["BA1", "BA401"]   # code prefixes; default: all
//! ignore = ["BA105"]
//! fail-on = "warning"         # error (default) | warning | never
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Text,
    Json,
    Sarif,
    Markdown,
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity == Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Never => false,
        }
    }
}

/// Options as given on the command line; `None` means "not given" (config or default applies).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    #[serde(default)]
    pub format: Format,
    pub fail_on: Option<FailOn>,
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub color: bool,
    /// Use this pyproject.toml instead of searching for one; `""` disables config.
    pub config: Option<String>,
}

/// `[tool.bustapi]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FileConfig {
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    pub fail_on: Option<FailOn>,
}

#[derive(Deserialize)]
struct PyProject {
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    bustapi: Option<toml::Value>,
}

/// The effective settings of a run.
#[derive(Clone, Debug)]
pub struct Settings {
    pub format: Format,
    pub fail_on: FailOn,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub color: bool,
}

impl Settings {
    pub fn enabled(&self, code: &str) -> bool {
        let selected = self
            .select
            .as_ref()
            .is_none_or(|s| s.iter().any(|p| p == "ALL" || code.starts_with(p.as_str())));
        selected && !self.ignore.iter().any(|p| code.starts_with(p.as_str()))
    }
}

/// Finds `pyproject.toml` from `start` upwards.
pub fn find_pyproject(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join("pyproject.toml");
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Reads `[tool.bustapi]` from a pyproject file; missing table is an empty config.
pub fn read_file_config(path: &Path) -> Result<FileConfig, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let doc: PyProject =
        toml::from_str(&text).map_err(|e| format!("{}: invalid TOML: {e}", path.display()))?;
    match doc.tool.and_then(|t| t.bustapi) {
        None => Ok(FileConfig::default()),
        Some(value) => {
            // `[tool.bustapi]` may hold other tables (`run`, `build`): read only our keys.
            let mut table = value.as_table().cloned().unwrap_or_default();
            table.retain(|k, _| k == "select" || k == "ignore" || k == "fail-on");
            toml::Value::Table(table)
                .try_into()
                .map_err(|e| format!("{}: [tool.bustapi]: {e}", path.display()))
        }
    }
}

/// Merges command-line options over the config file found near `first_path`.
pub fn settings(options: &Options, first_path: Option<&Path>) -> Result<Settings, String> {
    let file = match options.config.as_deref() {
        Some("") => FileConfig::default(),
        Some(path) => read_file_config(Path::new(path))?,
        None => match first_path.and_then(find_pyproject) {
            Some(path) => read_file_config(&path)?,
            None => FileConfig::default(),
        },
    };
    let mut ignore = file.ignore;
    ignore.extend(options.ignore.iter().cloned());
    Ok(Settings {
        format: options.format,
        fail_on: options.fail_on.or(file.fail_on).unwrap_or_default(),
        select: options.select.clone().or(file.select),
        ignore,
        color: options.color,
    })
}
