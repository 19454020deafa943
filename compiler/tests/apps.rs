//! One snapshot per fixture project in `fixtures/apps/`: the model (apps, routes, hooks, ...) and
//! the rendered diagnostics of `check`.

use std::path::{Path, PathBuf};

use bustapi_compiler::config::{Format, Options};
use bustapi_compiler::model::project::Project;

fn options(format: Format) -> Options {
    Options {
        format,
        config: Some(String::new()),
        ..Options::default()
    }
}

#[test]
fn fixture_apps() {
    let root = Path::new("../fixtures/apps");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("fixtures/apps")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 8, "fixture corpus is missing projects");
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let project = Project::load(std::slice::from_ref(&dir)).expect("load");
        let analysis = bustapi_compiler::analyze(&project);
        let model = bustapi_compiler::describe(&project, &analysis);
        let outcome = bustapi_compiler::check(std::slice::from_ref(&dir), &options(Format::Text));
        let snapshot = format!(
            "== model ==\n{model}\n== check (exit {}) ==\n{}",
            outcome.exit_code, outcome.output
        );
        insta::assert_snapshot!(name, snapshot);
    }
}

/// The same run in every output format parses as what it claims to be.
#[test]
fn output_formats() {
    let dirs = [
        PathBuf::from("../fixtures/apps/bugs"),
        PathBuf::from("../fixtures/apps/legacy"),
    ];
    let json = bustapi_compiler::check(&dirs, &options(Format::Json));
    let v: serde_json::Value = serde_json::from_str(&json.output).expect("json");
    assert!(v["summary"]["errors"].as_u64().unwrap() > 0);
    assert_eq!(json.exit_code, 1);

    let sarif = bustapi_compiler::check(&dirs, &options(Format::Sarif));
    let v: serde_json::Value = serde_json::from_str(&sarif.output).expect("sarif");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert!(run["tool"]["driver"]["rules"].as_array().unwrap().len() >= 14);
    for result in run["results"].as_array().unwrap() {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
    }
    insta::assert_snapshot!("sarif_bugs_legacy", sarif.output);

    let github = bustapi_compiler::check(&dirs, &options(Format::Github));
    assert!(github.output.lines().all(|l| l.starts_with("::error ")
        || l.starts_with("::warning ")
        || l.starts_with("::notice ")));
    insta::assert_snapshot!("github_bugs_legacy", github.output);

    let md = bustapi_compiler::check(
        &[
            PathBuf::from("../fixtures/apps/factory"),
            PathBuf::from("../fixtures/apps/bugs"),
        ],
        &options(Format::Markdown),
    );
    insta::assert_snapshot!("markdown_factory_bugs", md.output);
}

#[test]
fn exit_codes() {
    let clean = bustapi_compiler::check(
        &[PathBuf::from("../fixtures/apps/one_file")],
        &options(Format::Text),
    );
    assert_eq!(clean.exit_code, 0, "{}", clean.output);
    let warn = [PathBuf::from("../fixtures/apps/middleware")];
    assert_eq!(
        bustapi_compiler::check(&warn, &options(Format::Text)).exit_code,
        0
    );
    let strict = Options {
        fail_on: Some(bustapi_compiler::config::FailOn::Warning),
        ..options(Format::Text)
    };
    assert_eq!(bustapi_compiler::check(&warn, &strict).exit_code, 1);
    let ignored = Options {
        fail_on: Some(bustapi_compiler::config::FailOn::Warning),
        ignore: vec!["BA1".into()],
        ..options(Format::Text)
    };
    assert_eq!(bustapi_compiler::check(&warn, &ignored).exit_code, 0);
    let missing = bustapi_compiler::check(
        &[PathBuf::from("../fixtures/apps/nope")],
        &options(Format::Text),
    );
    assert_eq!(missing.exit_code, 2);
    assert!(missing.errors.contains("nope"), "{}", missing.errors);
    let bad_code = Options {
        select: Some(vec!["XX1".into()]),
        ..options(Format::Text)
    };
    assert_eq!(bustapi_compiler::check(&warn, &bad_code).exit_code, 2);
}
