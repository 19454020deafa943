//! Finding a project's files and naming its modules the way `sys.path` would.
//!
//! A file's *root* is the directory above its outermost package (the first parent without an
//! `__init__.py`); module names are dotted paths relative to that root. Every `.py` file under the
//! roots is parsed (in parallel; the parser does ~100 MB/s), so imports between them can be followed;
//! virtualenvs, caches and hidden directories are skipped.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::frontend::SourceFile;

use super::FileId;

/// Directories never descended into.
const SKIP_DIRS: &[&str] = &[
    "__pycache__",
    "node_modules",
    "site-packages",
    "dist-packages",
    "build",
    "dist",
    "target",
];

/// A cap on files, so pointing the checker at `/` fails clearly instead of reading the disk.
const MAX_FILES: usize = 50_000;

#[derive(Default)]
pub struct Project {
    pub files: Vec<SourceFile>,
    /// Module name of each file (same index as `files`).
    pub module_names: Vec<String>,
    pub by_module: HashMap<String, FileId>,
    /// Files named by the inputs (the ones `check` reports on).
    pub targets: Vec<FileId>,
    /// Files that could not be read, with the reason (path included).
    pub unreadable: Vec<String>,
}

impl Project {
    /// Loads the project around `inputs` (files or directories).
    pub fn load(inputs: &[PathBuf]) -> Result<Project, String> {
        let mut roots: Vec<PathBuf> = Vec::new();
        let mut target_paths: Vec<PathBuf> = Vec::new();
        for input in inputs {
            let meta = std::fs::metadata(input)
                .map_err(|e| format!("{}: cannot read: {e}", input.display()))?;
            if meta.is_dir() {
                let root = if input.join("__init__.py").is_file() {
                    package_root(input)
                } else {
                    input.clone()
                };
                push_unique(&mut roots, root);
                let mut found = Vec::new();
                walk(input, &mut found)?;
                target_paths.extend(found);
            } else {
                let dir = input
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
                let dir = if dir.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    dir
                };
                push_unique(&mut roots, package_root(&dir));
                target_paths.push(input.clone());
            }
        }
        let mut all: Vec<(PathBuf, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for root in &roots {
            let mut found = Vec::new();
            walk(root, &mut found)?;
            for path in found {
                let key = canonical(&path);
                if seen.insert(key) {
                    let name = module_name(root, &path);
                    all.push((path, name));
                }
            }
        }
        for path in &target_paths {
            if seen.insert(canonical(path)) {
                let root = roots.first().cloned().unwrap_or_default();
                all.push((path.clone(), module_name(&root, path)));
            }
        }
        let parsed = parse_all(all.iter().map(|(p, _)| p.clone()).collect());
        let mut project = Project::default();
        let targets: std::collections::HashSet<PathBuf> =
            target_paths.iter().map(|p| canonical(p)).collect();
        for ((path, name), result) in all.into_iter().zip(parsed) {
            match result {
                Ok(file) => {
                    let id = project.files.len();
                    if targets.contains(&canonical(&path)) {
                        project.targets.push(id);
                    }
                    project.by_module.entry(name.clone()).or_insert(id);
                    project.module_names.push(name);
                    project.files.push(file);
                }
                Err(e) => {
                    if targets.contains(&canonical(&path)) {
                        project.unreadable.push(e);
                    }
                }
            }
        }
        Ok(project)
    }

    /// Builds a project from in-memory sources (`(module name, text)`), for tests and fuzzing.
    pub fn from_sources(sources: &[(&str, &str)]) -> Project {
        let mut project = Project::default();
        for (name, text) in sources {
            let id = project.files.len();
            let path = format!("{}.py", name.replace('.', "/"));
            project
                .files
                .push(SourceFile::parse(path, (*text).to_string()));
            project.module_names.push((*name).to_string());
            project.by_module.insert((*name).to_string(), id);
            project.targets.push(id);
        }
        project
    }

    /// Is the file a package's `__init__.py`?
    pub fn is_package(&self, file: FileId) -> bool {
        self.files[file]
            .path
            .file_name()
            .is_some_and(|n| n == "__init__.py")
    }

    /// The file of a module given as `a.b` relative to the project roots.
    pub fn module(&self, name: &str) -> Option<FileId> {
        self.by_module.get(name).copied()
    }

    /// The file whose path is `path`, if it is in the project.
    pub fn file_by_path(&self, path: &Path) -> Option<FileId> {
        let want = canonical(path);
        self.files.iter().position(|f| canonical(&f.path) == want)
    }
}

fn push_unique(roots: &mut Vec<PathBuf>, root: PathBuf) {
    if !roots.iter().any(|r| canonical(r) == canonical(&root)) {
        roots.push(root);
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The directory above the outermost package containing `dir`.
fn package_root(dir: &Path) -> PathBuf {
    let mut root = dir.to_path_buf();
    while root.join("__init__.py").is_file() {
        match root.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => root = parent.to_path_buf(),
            Some(_) => return PathBuf::from("."),
            None => break,
        }
    }
    root
}

fn module_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut() {
        if let Some(stem) = last.strip_suffix(".py") {
            *last = stem.to_string();
        }
    }
    if parts.last().is_some_and(|l| l == "__init__") {
        parts.pop();
    }
    parts.join(".")
}

fn is_skipped(dir: &Path) -> bool {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    (name.starts_with('.') && name != "." && name != "..")
        || SKIP_DIRS.contains(&name.as_ref())
        || dir.join("pyvenv.cfg").is_file()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => return Err(format!("{}: cannot read directory: {e}", dir.display())),
    };
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if !is_skipped(&path) {
                // Unreadable subdirectories are skipped, not fatal.
                let _ = walk(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
            if out.len() > MAX_FILES {
                return Err(format!(
                    "{}: more than {MAX_FILES} Python files; point the checker at the project",
                    dir.display()
                ));
            }
        }
    }
    Ok(())
}

/// Reads and parses files on all cores, keeping the input order.
pub fn parse_all(paths: Vec<PathBuf>) -> Vec<Result<SourceFile, String>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if paths.len() < 8 || threads == 1 {
        return paths.iter().map(|p| read_guarded(p)).collect();
    }
    let chunk = paths.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || part.iter().map(|p| SourceFile::read(p)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Reads and parses one file; a panic inside the parser becomes an error naming the file instead
/// of taking the whole run down (and keeps results aligned with their paths).
fn read_guarded(path: &Path) -> Result<SourceFile, String> {
    std::panic::catch_unwind(|| SourceFile::read(path)).unwrap_or_else(|_| {
        Err(format!(
            "{}: internal error while parsing (please report)",
            path.display()
        ))
    })
}
