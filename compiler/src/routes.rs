//! `bustapi routes --static TARGET`: one application's route table from source alone.
//!
//! `TARGET` is what `bustapi run`/`flask --app` take: a file, a package directory, or
//! `module:app` / `module:create_app()` (module resolved from the current directory). Without an
//! attribute, the application is found the way Flask's `find_best_app` does: `app` or
//! `application`, else the only application in the module, else a `create_app`/`make_app`
//! factory.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::eval::{Interp, V};
use crate::model::project::Project;
use crate::model::routes::{app_routes, Route};
use crate::model::{Model, Registration, Scaffold};
use crate::{app_name, display_path};

/// A route as `--format json` prints it.
#[derive(Serialize)]
pub struct RouteOut<'a> {
    #[serde(flatten)]
    pub route: &'a Route,
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// The result: app name, routes (as JSON values) and notes on what could not be followed.
#[derive(Serialize)]
pub struct StaticRoutes {
    pub app: String,
    pub routes: Vec<serde_json::Value>,
    pub notes: Vec<String>,
}

/// Splits `TARGET` into the entry file and the optional attribute (`app`, `create_app()`).
fn resolve_target(target: &str, cwd: &Path) -> Result<(PathBuf, Option<String>), String> {
    let (path_part, attr) = match target.rsplit_once(':') {
        Some((p, a)) if !a.contains('/') && !a.contains('\\') && !p.is_empty() => {
            (p, Some(a.to_string()))
        }
        _ => (target, None),
    };
    let as_path = cwd.join(path_part);
    let entry = if as_path.is_file() {
        as_path
    } else if as_path.is_dir() {
        ["__init__.py", "wsgi.py", "app.py"]
            .iter()
            .map(|f| as_path.join(f))
            .find(|p| p.is_file())
            .ok_or_else(|| {
                format!("{path_part}: no __init__.py, wsgi.py or app.py in this directory")
            })?
    } else {
        // A dotted module name, relative to the current directory (like `flask --app`).
        let rel: PathBuf = path_part.trim_end_matches(".py").split('.').collect();
        let file = cwd.join(&rel).with_extension("py");
        let package = cwd.join(&rel).join("__init__.py");
        if file.is_file() {
            file
        } else if package.is_file() {
            package
        } else {
            return Err(format!(
                "{path_part}: no such file, package or module (from {})",
                cwd.display()
            ));
        }
    };
    // Keep paths relative to the current directory for display.
    let entry = entry
        .strip_prefix(cwd)
        .map(Path::to_path_buf)
        .unwrap_or(entry);
    let entry = if entry.parent().is_some_and(|p| p.as_os_str().is_empty()) {
        PathBuf::from(".").join(entry)
    } else {
        entry
    };
    Ok((entry, attr))
}

/// One application's route table from source, typed (what `bustapi build` generates code from).
pub struct AppTable {
    /// `module:var` or `module:factory()`.
    pub app: String,
    pub routes: Vec<Route>,
    /// Each route's `file:line`, by route index.
    pub locations: Vec<(String, usize, usize)>,
    /// What could not be followed, as `file:line:col: what`.
    pub notes: Vec<String>,
    /// The entry file, absolute.
    pub entry: PathBuf,
    /// Template folders in the order Flask's loader searches them: the application's, then each
    /// registered blueprint's (nested ones included), in registration order.
    pub template_dirs: Vec<PathBuf>,
}

/// Builds the static route table of `target`.
pub fn static_routes(target: &str, cwd: &Path) -> Result<StaticRoutes, String> {
    let table = app_table(target, cwd)?;
    let values = table
        .routes
        .iter()
        .zip(&table.locations)
        .map(|(r, (file, line, column))| {
            serde_json::to_value(RouteOut {
                route: r,
                file: file.clone(),
                line: *line,
                column: *column,
            })
            .unwrap_or_default()
        })
        .collect();
    Ok(StaticRoutes {
        app: table.app,
        routes: values,
        notes: table.notes,
    })
}

/// The typed route table of `target` (see [`static_routes`] for what `target` may be).
pub fn app_table(target: &str, cwd: &Path) -> Result<AppTable, String> {
    let (entry, attr) = resolve_target(target, cwd)?;
    let entry_abs = cwd.join(&entry);
    let project = Project::load(std::slice::from_ref(&entry_abs))?;
    if let Some(e) = project.unreadable.first() {
        return Err(e.clone());
    }
    let file = project
        .file_by_path(&entry_abs)
        .ok_or_else(|| format!("{}: not a Python file of the project", entry.display()))?;
    if let Some(err) = project.files[file].errors.first() {
        let at = project.files[file].line_col(err.range.start());
        return Err(format!(
            "{}:{}:{}: syntax error: {}",
            display_path(&entry),
            at.line,
            at.column,
            err.message
        ));
    }
    let mut interp = Interp::new(&project);
    interp.run_module(file);
    let value = match attr.as_deref() {
        Some(a) => {
            let a = a.trim();
            if let Some(name) = a.strip_suffix(')').and_then(|x| x.split_once('(')) {
                if !name.1.trim().is_empty() {
                    return Err(format!(
                        "{a}: factories are called without arguments by the static model"
                    ));
                }
                interp.call_global(file, name.0.trim())
            } else {
                interp.global(file, a).ok_or_else(|| {
                    format!("{a}: no such name in module {}", project.module_names[file])
                })?
            }
        }
        None => find_app(&mut interp, file)?,
    };
    let app = match value {
        V::App(i) => i,
        _ => {
            return Err(format!(
                "{target}: not a Flask application the checker can follow from source"
            ))
        }
    };
    interp.finish(&[file]);
    let model = &interp.model;
    let routes = app_routes(model, app);
    let paths: Vec<String> = project
        .files
        .iter()
        .map(|f| display_path(rel(&f.path, cwd)))
        .collect();
    let locations = routes
        .iter()
        .map(|r| {
            let at = project.files[r.loc.file].line_col(r.loc.range.start());
            (paths[r.loc.file].clone(), at.line, at.column)
        })
        .collect();
    let notes = model
        .unresolved
        .iter()
        .map(|u| {
            let at = project.files[u.loc.file].line_col(u.loc.range.start());
            format!(
                "{}:{}:{}: {}",
                paths[u.loc.file], at.line, at.column, u.what
            )
        })
        .collect();
    let template_dirs = template_dirs(&project, model, app);
    Ok(AppTable {
        template_dirs,
        app: app_name(&project, model, app),
        routes,
        locations,
        notes,
        // `./app.py` joined to the directory: drop the `.` component.
        entry: entry_abs.components().collect(),
    })
}

/// Flask's `DispatchingJinjaLoader` order: the app's folder, then `app.iter_blueprints()` —
/// every registered blueprint, nested ones after their parent, in registration order.
fn template_dirs(project: &Project, model: &Model, app: usize) -> Vec<PathBuf> {
    fn folder(project: &Project, s: &Scaffold) -> Option<PathBuf> {
        let dir = project.files[s.loc.file].path.parent()?;
        s.template_folder.known().map(|f| dir.join(f))
    }
    fn walk(
        project: &Project,
        model: &Model,
        regs: &[Registration],
        seen: &mut Vec<usize>,
        out: &mut Vec<PathBuf>,
    ) {
        for reg in regs {
            if seen.contains(&reg.blueprint) {
                continue;
            }
            seen.push(reg.blueprint);
            let bp = &model.blueprints[reg.blueprint].scaffold;
            out.extend(folder(project, bp));
            walk(project, model, &bp.registrations, seen, out);
        }
    }
    let scaffold = &model.apps[app].scaffold;
    let mut out: Vec<PathBuf> = folder(project, scaffold).into_iter().collect();
    walk(
        project,
        model,
        &scaffold.registrations,
        &mut Vec::new(),
        &mut out,
    );
    out.into_iter().map(|p| p.components().collect()).collect()
}

fn rel<'p>(path: &'p Path, cwd: &Path) -> &'p Path {
    path.strip_prefix(cwd).unwrap_or(path)
}

/// Flask's `find_best_app` over the static model.
fn find_app(interp: &mut Interp<'_>, file: usize) -> Result<V<'static>, String> {
    for name in ["app", "application"] {
        if let Some(V::App(i)) = interp.global(file, name) {
            return Ok(V::App(i));
        }
    }
    let apps: Vec<usize> = interp
        .globals(file)
        .into_iter()
        .filter_map(|v| match v {
            V::App(i) => Some(i),
            _ => None,
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    match apps.len() {
        1 => return Ok(V::App(apps[0])),
        n if n > 1 => {
            return Err("several Flask applications in the module; name one as module:name".into())
        }
        _ => {}
    }
    for name in ["create_app", "make_app"] {
        if let V::App(i) = interp.call_global(file, name) {
            return Ok(V::App(i));
        }
    }
    Err("no Flask application found (looked for app, application, an app instance, create_app(), make_app())".into())
}
