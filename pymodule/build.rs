//! Embeds the `runtime` crate's sources in the extension module, so `bustapi build` works from a
//! plain `pip install` (no source checkout): a generated project depends on the engine by path, and
//! the installed package writes these files out to a cache directory when it has no checkout.
//!
//! The crate's `Cargo.toml` inherits from the workspace (`version.workspace = true`,
//! `pyo3 = { workspace = true }`); outside the workspace that does not resolve, so the manifest is
//! normalised here the way `cargo package` does it: inherited keys replaced by the workspace's
//! values. The workspace's `Cargo.lock` travels too, so a build from an install resolves the same
//! versions the engine is tested with.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir
        .parent()
        .expect("pymodule/ sits in the workspace root");
    let runtime = root.join("runtime");
    println!("cargo:rerun-if-changed={}", runtime.join("src").display());
    println!(
        "cargo:rerun-if-changed={}",
        runtime.join("Cargo.toml").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        root.join("Cargo.toml").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        root.join("Cargo.lock").display()
    );

    let mut files = Vec::new();
    collect(&runtime.join("src"), &runtime, &mut files);
    files.sort();

    let manifest = normalised_manifest(root, &runtime);
    let mut out = String::from(
        "/// `(path relative to the crate, contents)` of every file of the engine crate.\n",
    );
    out.push_str("pub static RUNTIME_FILES: &[(&str, &str)] = &[\n");
    writeln!(out, "    (\"Cargo.toml\", {manifest:?}),").unwrap();
    for (rel, abs) in &files {
        writeln!(out, "    ({rel:?}, include_str!({abs:?})),").unwrap();
    }
    out.push_str("];\n");
    let lock = root.join("Cargo.lock");
    if lock.is_file() {
        writeln!(
            out,
            "/// The workspace's lock file.\npub static WORKSPACE_LOCK: Option<&str> = Some(include_str!({:?}));",
            lock.display().to_string()
        )
        .unwrap();
    } else {
        out.push_str(
            "/// The workspace's lock file.\npub static WORKSPACE_LOCK: Option<&str> = None;\n",
        );
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("runtime_sources.rs");
    fs::write(dest, out).unwrap();
}

/// Every file under `dir`, as (path relative to `base` with `/`, absolute path).
fn collect(dir: &Path, base: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, base, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(base).unwrap();
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push((rel, path.display().to_string()));
        }
    }
}

/// The runtime's manifest with workspace inheritance resolved; dev-dependencies dropped (tests
/// do not travel).
fn normalised_manifest(root: &Path, runtime: &Path) -> String {
    let workspace: Table = fs::read_to_string(root.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let ws = workspace["workspace"].as_table().unwrap();
    let ws_package = ws.get("package").and_then(Value::as_table);
    let ws_deps = ws.get("dependencies").and_then(Value::as_table);
    let mut manifest: Table = fs::read_to_string(runtime.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    manifest.remove("dev-dependencies");
    manifest.remove("lints");
    if let Some(package) = manifest.get_mut("package").and_then(Value::as_table_mut) {
        for (key, value) in package.iter_mut() {
            if is_inherited(value) {
                *value = ws_package
                    .and_then(|p| p.get(key))
                    .cloned()
                    .unwrap_or_else(|| panic!("package.{key} inherited but not in the workspace"));
            }
        }
    }
    if let Some(deps) = manifest
        .get_mut("dependencies")
        .and_then(Value::as_table_mut)
    {
        for (name, dep) in deps.iter_mut() {
            if !is_inherited(dep) {
                continue;
            }
            let base = ws_deps
                .and_then(|d| d.get(name))
                .cloned()
                .unwrap_or_else(|| panic!("dependency {name} inherited but not in the workspace"));
            let mut resolved = match base {
                Value::String(version) => {
                    let mut t = Table::new();
                    t.insert("version".into(), Value::String(version));
                    t
                }
                Value::Table(t) => t,
                other => panic!("dependency {name}: unexpected {other:?}"),
            };
            // Local keys add to the workspace's (features are additive, as cargo merges them).
            if let Value::Table(local) = dep {
                for (k, v) in local.iter() {
                    match (k.as_str(), resolved.get_mut(k)) {
                        ("workspace", _) => {}
                        ("features", Some(Value::Array(base))) => {
                            if let Value::Array(extra) = v {
                                base.extend(extra.iter().cloned());
                            }
                        }
                        _ => {
                            resolved.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            *dep = Value::Table(resolved);
        }
    }
    let mut text = String::from(
        "# The BustAPI engine, as shipped inside the `bustapi` package (workspace inheritance resolved).\n",
    );
    text.push_str(&toml::to_string(&manifest).unwrap());
    text
}

fn is_inherited(value: &Value) -> bool {
    value
        .as_table()
        .and_then(|t| t.get("workspace"))
        .and_then(Value::as_bool)
        == Some(true)
}
