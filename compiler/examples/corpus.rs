//! Robustness and speed over a corpus: `cargo run --release -p bustapi-compiler --example corpus
//! -- DIR...`. For each directory: every `.py` file parsed and modelled on its own (a panic is
//! caught and named), then the whole directory checked as one project (imports followed, every
//! rule run, text rendered). Prints one JSON line per directory.

use std::path::{Path, PathBuf};
use std::time::Instant;

use bustapi_compiler::config::{Format, Options};
use bustapi_compiler::model::project::Project;

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    for dir in std::env::args().skip(1) {
        let mut files = Vec::new();
        common::walk(Path::new(&dir), &common::is_py, &mut files);
        files.sort();
        let (mut lines, mut bytes, mut with_errors, mut unreadable) =
            (0usize, 0usize, 0usize, 0usize);
        let mut panics: Vec<String> = Vec::new();
        let texts: Vec<(PathBuf, String)> = files
            .iter()
            .filter_map(|p| match std::fs::read(p).map(String::from_utf8) {
                Ok(Ok(t)) => Some((p.clone(), t)),
                _ => {
                    unreadable += 1;
                    None
                }
            })
            .collect();
        let start = Instant::now();
        for (_, text) in &texts {
            let f = bustapi_compiler::frontend::SourceFile::parse("x.py", text.clone());
            lines += f.line_count();
            bytes += text.len();
            with_errors += usize::from(!f.errors.is_empty());
        }
        let parse_s = start.elapsed().as_secs_f64();
        let start = Instant::now();
        for (path, text) in &texts {
            let r = std::panic::catch_unwind(|| {
                let project = Project::from_sources(&[("m", text.as_str())]);
                let analysis = bustapi_compiler::analyze(&project);
                bustapi_compiler::describe(&project, &analysis).len()
            });
            if r.is_err() {
                panics.push(path.display().to_string());
            }
        }
        let model_s = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let options = Options {
            format: Format::Text,
            config: Some(String::new()),
            ..Options::default()
        };
        let whole =
            std::panic::catch_unwind(|| bustapi_compiler::check(&[PathBuf::from(&dir)], &options));
        let check_s = start.elapsed().as_secs_f64();
        let (exit, findings) = match &whole {
            Ok(o) => (
                o.exit_code,
                o.output.matches("\n --> ").count()
                    + o.output.matches("\n  --> ").count()
                    + o.output.matches("\n   --> ").count(),
            ),
            Err(_) => {
                panics.push(format!("{dir} (whole-project check)"));
                (-1, 0)
            }
        };
        println!(
            "{}",
            serde_json::json!({
                "dir": dir, "files": files.len(), "unreadable": unreadable, "lines": lines, "bytes": bytes,
                "files_with_syntax_errors": with_errors, "panics": panics.len(), "panicked": panics,
                "parse_s": parse_s, "parse_lines_per_s": (lines as f64 / parse_s) as u64,
                "model_each_file_s": model_s, "check_whole_s": check_s,
                "check_lines_per_s": (lines as f64 / check_s) as u64,
                "check_exit": exit, "findings": findings,
            })
        );
    }
}
