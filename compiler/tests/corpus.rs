//! Robustness, bounded: every 8th `.py` file of the installed standard library (and its
//! site-packages) is parsed and modelled on its own with no panic, and checking a stdlib package
//! as a whole project completes. The full run over every file is
//! `cargo run --release -p bustapi-compiler --example corpus -- DIR...` (see bench/check_speed.py).

mod common;

use std::path::Path;

use bustapi_compiler::frontend::SourceFile;
use bustapi_compiler::model::project::Project;

#[test]
fn stdlib_sample_never_panics() {
    let Some(root) = common::python_path("stdlib") else {
        eprintln!("no python3 standard library found; skipped");
        return;
    };
    let mut files = Vec::new();
    common::walk(&root, &common::is_py, &mut files);
    files.sort();
    assert!(files.len() > 500, "too few files under {}", root.display());
    let mut panicked = Vec::new();
    let mut checked = 0;
    for path in files.iter().step_by(8) {
        let result = std::panic::catch_unwind(|| match SourceFile::read(path) {
            Ok(file) => {
                for e in &file.errors {
                    // Every syntax error has a location inside the file.
                    let lc = file.line_col(e.range.start());
                    assert!(lc.line >= 1 && lc.line <= file.line_count() + 1);
                }
                let project = Project::from_sources(&[("m", file.text.as_str())]);
                let analysis = bustapi_compiler::analyze(&project);
                bustapi_compiler::describe(&project, &analysis);
            }
            Err(message) => assert!(message.contains(&path.display().to_string())),
        });
        if result.is_err() {
            panicked.push(path.clone());
        }
        checked += 1;
    }
    assert!(panicked.is_empty(), "panics on: {panicked:?}");
    assert!(checked > 100);

    let options = bustapi_compiler::config::Options {
        config: Some(String::new()),
        ..Default::default()
    };
    let outcome = bustapi_compiler::check(&[root.join("email")], &options);
    assert!(
        outcome.exit_code == 0 || outcome.exit_code == 1,
        "{}",
        outcome.errors
    );
}

/// Inputs the fuzzer found crashing, fixed since: each must check without panicking.
#[test]
fn fuzz_regressions() {
    let dir = Path::new("tests/fixtures/regressions");
    let options = bustapi_compiler::config::Options {
        config: Some(String::new()),
        ..Default::default()
    };
    for entry in std::fs::read_dir(dir).expect("regressions").flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let project = Project::from_sources(&[("app", text.as_str())]);
        bustapi_compiler::analyze(&project);
        let dir = std::env::temp_dir().join(format!("bustapi-regression-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let tmp = dir.join("app.py");
        std::fs::write(&tmp, &text).unwrap();
        let outcome = bustapi_compiler::check(std::slice::from_ref(&tmp), &options);
        std::fs::remove_dir_all(&dir).ok();
        assert!(outcome.exit_code <= 1, "{}", outcome.errors);
    }
}
