//! The templates of an app's template folders, as Flask's loader sees them: one set shared by
//! the build (which translates it) and the checker's BA303 (which reports what the build would
//! leave to Jinja2), so both judge the same templates.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One template, by Jinja name.
#[derive(Debug, Clone)]
pub struct Source {
    /// The Jinja name (`blog/index.html`), `/`-separated.
    pub name: String,
    pub path: PathBuf,
    pub text: String,
}

/// Bounds: a template folder is not a dump, and a symlink loop must not hang a build.
const MAX_FILES: usize = 5000;
const MAX_DEPTH: usize = 16;
const MAX_BYTES: u64 = 1 << 20;

/// Every template under `dirs`, first folder first; a name found in an earlier folder hides the
/// same name in a later one (Flask's `DispatchingJinjaLoader`). Skipped: files that are not UTF-8
/// (Jinja could not load them either), hidden files, and Python sources or compiled code sitting
/// in a folder that is also a package (nobody renders those).
pub fn collect(dirs: &[PathBuf]) -> Vec<Source> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for dir in dirs {
        walk(dir, dir, 0, &mut seen, &mut out);
    }
    out
}

fn walk(root: &Path, dir: &Path, depth: usize, seen: &mut HashSet<String>, out: &mut Vec<Source>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if out.len() >= MAX_FILES {
            return;
        }
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            if !path.is_symlink() && depth < MAX_DEPTH {
                walk(root, &path, depth + 1, seen, out);
            }
            continue;
        }
        if is_code(&path)
            || !path
                .metadata()
                .is_ok_and(|m| m.is_file() && m.len() < MAX_BYTES)
        {
            continue;
        }
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if seen.contains(&name) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        seen.insert(name.clone());
        out.push(Source { name, path, text });
    }
}

fn is_code(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "py" | "pyc" | "pyo" | "pyi" | "so" | "pyd"))
}
