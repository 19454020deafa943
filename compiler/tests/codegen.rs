//! Snapshots of `bustapi build`'s generated files: one fixture app → its `routes.rs`, and the
//! start-up `main.rs` and `Cargo.toml` of one of them (with a fixed environment).

use std::path::{Path, PathBuf};

use bustapi_compiler::codegen::{generate, BuildOptions, Emit};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/apps")
}

fn options() -> BuildOptions {
    BuildOptions {
        name: None,
        runtime: PathBuf::from("/opt/bustapi/runtime"),
        python_home: "/usr/local".into(),
        python_executable: "/srv/app/.venv/bin/python".into(),
        site_dirs: vec!["/srv/app/.venv/lib/python3.11/site-packages".into()],
        app_dir: "/srv/app".into(),
    }
}

fn file(target: &str, cwd: &Path, path: &str) -> String {
    let generated = generate(target, cwd, &options(), Emit::Project).expect("generates");
    generated
        .files
        .into_iter()
        .find(|(p, _)| p == Path::new(path))
        .map(|(_, text)| text)
        .expect("file generated")
        // The checkout's location is not part of the output's shape.
        .replace(&fixtures().display().to_string(), "<fixtures>")
}

#[test]
fn one_file_routes() {
    insta::assert_snapshot!(file(
        "app.py",
        &fixtures().join("one_file"),
        "src/routes.rs"
    ));
}

#[test]
fn blueprints_routes() {
    insta::assert_snapshot!(file(
        "app.py",
        &fixtures().join("blueprints"),
        "src/routes.rs"
    ));
}

#[test]
fn one_file_main() {
    let main = file("app.py:app", &fixtures().join("one_file"), "src/main.rs");
    // The entry is absolute (the binary may start anywhere): make it machine independent.
    let root = fixtures().canonicalize().unwrap_or_else(|_| fixtures());
    let main = main
        .replace(&*root.to_string_lossy(), "<fixtures>")
        .replace(&*fixtures().to_string_lossy(), "<fixtures>");
    insta::assert_snapshot!(main);
}

#[test]
fn one_file_cargo_toml() {
    insta::assert_snapshot!(file("app.py", &fixtures().join("one_file"), "Cargo.toml"));
}
