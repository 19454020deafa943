//! Fuzzes the whole pipeline on arbitrary source: parse, model (imports between two modules,
//! factories, blueprints), route tables, every rule, and the text/SARIF/Markdown renderers.
//! The input is split at the first NUL byte into `app` and `app.views`.
#![no_main]

use bustapi_compiler::check::{rule_infos, run, Context};
use bustapi_compiler::diagnostics::{FileView, Report};
use bustapi_compiler::model::project::Project;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (first, second) = text.split_once('\0').unwrap_or((&text, ""));
    let project = Project::from_sources(&[("app", first), ("app.views", second)]);
    let analysis = bustapi_compiler::analyze(&project);
    let _ = bustapi_compiler::describe(&project, &analysis);
    let cx = Context::new(&project, &analysis.model, &analysis.routes);
    let diagnostics = run(&cx);
    let report = Report {
        files: project
            .files
            .iter()
            .map(|f| FileView { path: f.path.display().to_string(), source: f })
            .collect(),
        diagnostics,
        apps: analysis.routes.iter().map(|r| ("app".to_string(), r.clone())).collect(),
        rules: rule_infos(),
        files_checked: project.files.len(),
    };
    let _ = report.to_text(false);
    let _ = report.to_sarif();
    let _ = report.to_markdown();
    let _ = report.to_github();
});
