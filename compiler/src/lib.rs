//! # bustapi-compiler
//!
//! Reads a Flask project's Python source **without importing it** and builds an exact model of it:
//! applications (`Flask(...)`, `BustAPI(...)`, app factories), blueprints across modules with
//! their prefixes, subdomains and nesting, every route with its Werkzeug rule, methods (automatic
//! `HEAD`/`OPTIONS` included), endpoint and source location, hooks, templates, extensions and WSGI
//! middleware — and marks what cannot be known statically instead of guessing it. On that model
//! it runs the checker's rules ([`check`]) and produces `bustapi routes --static` ([`routes`]).
//! `bustapi build` generates a Cargo project from the same model ([`codegen`]).
//!
//! ```text
//! frontend (parser) → model (project, eval, routes) → check (rules) → diagnostics (text/json/sarif/…)
//! ```
//!
//! ## The parser: `ruff_python_parser`, not `rustpython-parser`
//!
//! Measured on this project's machine (FINDINGS.md, "Parsing Python in Rust"):
//!
//! | | rustpython-parser 0.4.0 | ruff_python_parser 0.0.10 |
//! |---|---|---|
//! | PEP 701 f-strings (`f"{d["k"]}"`, Python 3.12) | fails | ok |
//! | PEP 695, `type`, match, walrus, `except*`, async | ok | ok |
//! | errors | first only, byte offset | all of them, with ranges, plus a partial AST |
//! | Flask + Werkzeug sources (944 KiB) | 73 ms | 7.1 ms (CPython `ast.parse`: 178 ms) |
//! | maintained | no (RustPython itself moved to ruff's parser) | yes (used by ruff and ty) |
//!
//! Error recovery matters to a checker (one typo must not hide every other finding), Python 3.12
//! syntax matters to the apps it reads, and speed lets it parse whole projects on every CI run.
//! `ruff_python_parser` has no semver promise (0.0.x), and 0.0.11+ need rustc 1.96, so every
//! `ruff_*` crate is pinned `=0.0.10` and only [`frontend`] names them.
//!
//! This crate never depends on pyo3: the Python binding lives in `pymodule/src/check.rs` and
//! passes JSON strings across.

pub mod check;
pub mod codegen;
pub mod config;
pub mod diagnostics;
pub mod frontend;
pub mod jinja;
pub mod model;
pub mod routes;
pub mod suppress;

use std::path::{Path, PathBuf};

use config::{Format, Options};
use diagnostics::{Diagnostic, FileView, Report, Severity};
use model::eval::Interp;
use model::project::Project;
use model::routes::{app_routes, Route};
use model::Model;

/// The model of a project plus each application's route table.
pub struct Analysis {
    pub model: Model,
    pub routes: Vec<Vec<Route>>,
}

/// Runs every target module of the project (and factories nobody calls) and builds the model.
pub fn analyze(project: &Project) -> Analysis {
    let mut interp = Interp::new(project);
    for &file in &project.targets {
        interp.run_module(file);
    }
    interp.finish(&project.targets);
    let mut model = interp.model;
    for &file in &project.targets {
        model
            .templates
            .extend(model::scan::templates(file, &project.files[file]));
    }
    let routes = (0..model.apps.len())
        .map(|i| app_routes(&model, i))
        .collect();
    Analysis { model, routes }
}

/// Display name of an application: `module:var`, or `module:factory()`.
pub fn app_name(project: &Project, model: &Model, app: usize) -> String {
    let a = &model.apps[app];
    let module = &project.module_names[a.scaffold.loc.file];
    match &a.factory {
        Some(f) => format!("{module}:{f}()"),
        None if a.scaffold.var.is_empty() => format!("{module}:<app>"),
        None => format!("{module}:{}", a.scaffold.var),
    }
}

/// A readable dump of the model: applications, their routes, hooks, middleware, and what could
/// not be followed. Used by the snapshot tests.
pub fn describe(project: &Project, analysis: &Analysis) -> String {
    use std::fmt::Write;
    let at = |loc: &model::Loc| {
        let f = &project.files[loc.file];
        let lc = f.line_col(loc.range.start());
        format!("{}:{}:{}", display_path(&f.path), lc.line, lc.column)
    };
    let mut out = String::new();
    for (i, app) in analysis.model.apps.iter().enumerate() {
        let _ = writeln!(
            out,
            "app {} ({}) at {}",
            app_name(project, &analysis.model, i),
            app.class,
            at(&app.scaffold.loc)
        );
        for m in &app.middleware {
            let _ = writeln!(out, "  middleware {} at {}", m.name, at(&m.loc));
        }
        for h in &app.scaffold.hooks {
            let _ = writeln!(out, "  hook {} -> {} at {}", h.kind, h.function, at(&h.loc));
        }
        for (name, loc) in &app.converters {
            let _ = writeln!(out, "  converter {name} at {}", at(loc));
        }
        for r in &analysis.routes[i] {
            let _ = write!(
                out,
                "  {} [{}] {} at {}",
                r.rule.as_deref().unwrap_or("?"),
                r.methods.join(","),
                r.endpoint.as_deref().unwrap_or("?"),
                at(&r.loc)
            );
            if let Some(s) = &r.subdomain {
                let _ = write!(out, " subdomain={s}");
            }
            if r.conditional {
                let _ = write!(out, " (conditional)");
            }
            if let Some(u) = &r.unresolved {
                let _ = write!(out, " UNRESOLVED: {u}");
            }
            out.push('\n');
        }
    }
    for b in &analysis.model.blueprints {
        let name = match &b.name {
            model::Text::Known(n) => n.clone(),
            _ => "?".into(),
        };
        let _ = write!(out, "blueprint {name} at {}", at(&b.scaffold.loc));
        if let model::Text::Known(p) = &b.url_prefix {
            let _ = write!(out, " url_prefix={p}");
        }
        out.push('\n');
        for h in &b.scaffold.hooks {
            let _ = writeln!(out, "  hook {} -> {} at {}", h.kind, h.function, at(&h.loc));
        }
    }
    for e in &analysis.model.extensions {
        let _ = writeln!(out, "extension {} at {}", e.module, at(&e.loc));
    }
    for t in &analysis.model.templates {
        let name = match &t.name {
            model::Text::Known(n) => n.clone(),
            model::Text::Unknown(e) => format!("<computed: {e}>"),
            model::Text::None => "<none>".into(),
        };
        let _ = writeln!(out, "template {name} at {}", at(&t.loc));
    }
    for u in &analysis.model.unresolved {
        let _ = writeln!(out, "unresolved at {}: {}", at(&u.loc), u.what);
    }
    out
}

/// What a `check` run returns: the rendered output and the exit code (0 pass, 1 findings at or
/// above the threshold, 2 usage error or unreadable input).
#[derive(Debug)]
pub struct Outcome {
    pub output: String,
    pub errors: String,
    pub exit_code: i32,
}

fn usage_error(message: String) -> Outcome {
    Outcome {
        output: String::new(),
        errors: format!("error: {message}\n"),
        exit_code: 2,
    }
}

/// `bustapi check PATHS`.
pub fn check(paths: &[PathBuf], options: &Options) -> Outcome {
    let settings = match config::settings(options, paths.first().map(PathBuf::as_path)) {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    for code in settings
        .select
        .iter()
        .flatten()
        .chain(settings.ignore.iter())
    {
        if code != "ALL"
            && !check::RULES
                .iter()
                .any(|(r, _)| r.code.starts_with(code.as_str()))
        {
            return usage_error(format!(
                "unknown rule code or prefix `{code}` (see `bustapi check --list-rules`)"
            ));
        }
    }
    let project = match Project::load(paths) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    let analysis = analyze(&project);
    let cx = check::Context::new(&project, &analysis.model, &analysis.routes);
    let mut diagnostics: Vec<Diagnostic> = check::run(&cx)
        .into_iter()
        .filter(|d| settings.enabled(d.code))
        .filter(|d| match d.file {
            Some(f) => {
                let src = &project.files[f];
                !suppress::is_suppressed(src, src.line_col(d.range.start()).line, d.code)
            }
            None => true,
        })
        .collect();
    let key = |d: &Diagnostic| {
        let file = d.file.map(|f| project.files[f].path.clone());
        (file, d.range.start(), d.code, d.message.clone())
    };
    diagnostics.sort_by_key(key);
    diagnostics.dedup_by(|a, b| key(a) == key(b));
    let report = Report {
        files: project
            .files
            .iter()
            .map(|f| FileView {
                path: display_path(&f.path),
                source: f,
            })
            .collect(),
        diagnostics,
        apps: (0..analysis.model.apps.len())
            .filter(|&i| {
                project
                    .targets
                    .contains(&analysis.model.apps[i].scaffold.loc.file)
            })
            .map(|i| {
                (
                    app_name(&project, &analysis.model, i),
                    analysis.routes[i].clone(),
                )
            })
            .collect(),
        rules: check::rule_infos(),
        files_checked: project.targets.len(),
    };
    let output = match settings.format {
        Format::Text => report.to_text(settings.color),
        Format::Json => report.to_json(),
        Format::Sarif => report.to_sarif(),
        Format::Markdown => report.to_markdown(),
        Format::Github => report.to_github(),
    };
    let failing = report
        .diagnostics
        .iter()
        .any(|d| settings.fail_on.fails(d.severity));
    let mut errors = String::new();
    for e in &project.unreadable {
        errors.push_str(&format!("error: {e}\n"));
    }
    let exit_code = if !project.unreadable.is_empty() {
        2
    } else if failing {
        1
    } else {
        0
    };
    Outcome {
        output,
        errors,
        exit_code,
    }
}

/// A path as shown to users: as given, without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Severity of a code, for callers listing rules.
pub fn rule_severity(code: &str) -> Option<Severity> {
    check::RULES
        .iter()
        .find(|(r, _)| r.code == code)
        .map(|(r, _)| r.severity)
}
