//! Embedding CPython in a service built by `bustapi build`.
//!
//! A built service is a Rust program that owns the interpreter: it starts CPython with the
//! application's environment ([`initialize`]), exposes this crate's bindings as `bustapi._core`
//! ([`install_core_module`]; the engine is the binary's own, not a second copy loaded from the
//! virtualenv's extension module), then compiles the route table generated from source against the
//! application's live `url_map` ([`compile_static`]): equal tables give a Rust router, different
//! ones a readable diff ([`table_diff`]) and no service.
//!
//! Why the interpreter is configured explicitly (FINDINGS.md, "Embedding CPython"): left alone,
//! it derives `sys.prefix` from whichever `python3` is on `PATH` and may pair one Python's
//! libpython with another's standard library.

use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::fmt::Write as _;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyModule};

use super::router::{map_spec, rules_from_spec, PyRouter, SpecRules};
use crate::router::{MapSpec, Router, RuleSpec};

/// Where the application's Python lives.
#[derive(Debug, Clone, Default)]
pub struct PythonEnv {
    /// `PYTHONHOME` of the interpreter the binary links (its `sys.base_prefix`).
    pub home: Option<PathBuf>,
    /// The interpreter's `sys.executable` (the virtualenv's `python`, when there is one).
    pub executable: Option<PathBuf>,
    /// Site directories added with `site.addsitedir`, in order (the virtualenv's site-packages).
    pub site_dirs: Vec<PathBuf>,
    /// Directories put first on `sys.path` (the application's source directory).
    pub path: Vec<PathBuf>,
    /// `sys.argv[0]`.
    pub program: String,
}

fn c_path(path: &Path) -> Result<CString, String> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| format!("{}: path contains a NUL byte", path.display()))
}

/// Turns a failed `PyStatus` into its message.
///
/// # Safety
/// `status` must come from a CPython initialisation function.
unsafe fn check(status: ffi::PyStatus, what: &str) -> Result<(), String> {
    // SAFETY: the caller passes a status returned by CPython.
    if unsafe { ffi::PyStatus_Exception(status) } == 0 {
        return Ok(());
    }
    let message = if status.err_msg.is_null() {
        "unknown error".to_string()
    } else {
        // SAFETY: CPython sets `err_msg` to a static NUL-terminated string.
        unsafe { CStr::from_ptr(status.err_msg) }
            .to_string_lossy()
            .into_owned()
    };
    Err(format!("cannot start Python ({what}): {message}"))
}

/// Starts the interpreter with `env` and releases the GIL (as pyo3's `auto-initialize` does), so
/// `Python::attach` works from any thread afterwards. Python installs no signal handlers of its own
/// (`install_signal_handlers = 0`): the engine handles SIGINT/SIGTERM.
pub fn initialize(env: &PythonEnv) -> Result<(), String> {
    // SAFETY: the config is initialised by CPython before use and cleared after; every string
    // passed is NUL-terminated and outlives the call that copies it.
    unsafe {
        if ffi::Py_IsInitialized() != 0 {
            return Err("Python is already initialised".into());
        }
        let mut config = std::mem::MaybeUninit::<ffi::PyConfig>::uninit();
        ffi::PyConfig_InitPythonConfig(config.as_mut_ptr());
        let cfg = config.as_mut_ptr();
        (*cfg).parse_argv = 0;
        (*cfg).install_signal_handlers = 0;
        let result = (|| {
            if let Some(home) = &env.home {
                let home = c_path(home)?;
                let slot = std::ptr::addr_of_mut!((*cfg).home);
                check(
                    ffi::PyConfig_SetBytesString(cfg, slot, home.as_ptr()),
                    "home",
                )?;
            }
            if let Some(exe) = &env.executable {
                let exe = c_path(exe)?;
                let slot = std::ptr::addr_of_mut!((*cfg).executable);
                check(
                    ffi::PyConfig_SetBytesString(cfg, slot, exe.as_ptr()),
                    "executable",
                )?;
            }
            let program = CString::new(env.program.as_str()).unwrap_or_default();
            let mut argv = [program.as_ptr()];
            check(
                ffi::PyConfig_SetBytesArgv(cfg, 1, argv.as_mut_ptr()),
                "argv",
            )?;
            check(ffi::Py_InitializeFromConfig(cfg), "initialize")
        })();
        ffi::PyConfig_Clear(cfg);
        result?;
        ffi::PyEval_SaveThread();
    }
    Python::attach(|py| -> PyResult<()> {
        let site = py.import("site")?;
        for dir in &env.site_dirs {
            site.call_method1("addsitedir", (dir,))?;
        }
        let sys_path = py.import("sys")?.getattr("path")?.cast_into::<PyList>()?;
        for dir in env.path.iter().rev() {
            sys_path.insert(0, dir)?;
        }
        Ok(())
    })
    .map_err(|e| format!("cannot set up sys.path: {e}"))
}

/// Registers this crate's bindings as the module `bustapi._core`, before `bustapi` is imported, so
/// the Python package drives the binary's own engine.
pub fn install_core_module(py: Python<'_>) -> PyResult<()> {
    let module = PyModule::new(py, "bustapi._core")?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    super::register(&module)?;
    py.import("sys")?
        .getattr("modules")?
        .set_item("bustapi._core", module)?;
    Ok(())
}

/// A built service's route table, generated from source.
#[derive(Debug, Clone, Default)]
pub struct StaticTable {
    /// The rules the static model knows fully, in source order.
    pub map: MapSpec,
    /// Rules whose text the model could not compute (a static folder from `os.path.join`…).
    pub pending: Vec<PendingRule>,
}

/// A rule known from source by endpoint and methods only; its text is taken from the live map.
#[derive(Debug, Clone)]
pub struct PendingRule {
    /// `None` when the endpoint itself is computed.
    pub endpoint: Option<String>,
    pub methods: Option<Vec<String>>,
    /// Why the model could not compute it.
    pub why: String,
}

/// What the static table and the live map amount to.
pub enum Compiled {
    /// Equal tables: the router compiled from the static table, in Werkzeug's matching order.
    Router(Py<PyRouter>),
    /// Equal tables, but the map needs Werkzeug's own matching (custom converters, host matching…).
    Werkzeug(String),
    /// Different tables: a readable diff.
    Mismatch(String),
}

/// Compiles the static route `table` against `live`, the application's map frozen by
/// `bustapi.routing.freeze_map`.
///
/// Rules pair up by rule text, endpoint and methods (what the static model knows); everything the
/// model cannot know from source (defaults' values, slash settings, the `Rule` objects) comes from
/// the live rule. Rules take the live map's order: it rebuilds Werkzeug's matcher exactly, while
/// source order only does so when app routes and blueprint registrations do not interleave.
pub fn compile_static(
    py: Python<'_>,
    table: &StaticTable,
    live: &Bound<'_, PyAny>,
) -> PyResult<Compiled> {
    let live = live
        .cast::<PyDict>()
        .map_err(|_| PyTypeError::new_err("freeze_map() must return a dict"))?;
    let SpecRules {
        rules: live_rules,
        defaults,
        sources,
    } = rules_from_spec(live)?;
    let twins = match pair(table, &live_rules) {
        Ok(twins) => twins,
        Err(diff) => return Ok(Compiled::Mismatch(diff)),
    };
    // Keep the static rule's text, endpoint and methods (equal by construction) and the live
    // rule's remaining settings; a pending rule is the live rule.
    let rules = live_rules
        .into_iter()
        .zip(twins)
        .map(|(live_rule, twin)| match twin {
            Some(i) => {
                let twin = &table.map.rules[i];
                RuleSpec {
                    rule: twin.rule.clone(),
                    endpoint: twin.endpoint.clone(),
                    methods: twin.methods.clone(),
                    ..live_rule
                }
            }
            None => live_rule,
        })
        .collect();
    let map = map_spec(live, rules)?;
    Ok(match Router::new(map) {
        Ok(router) => Compiled::Router(Py::new(
            py,
            PyRouter::from_parts(router, defaults, sources),
        )?),
        Err(e) => Compiled::Werkzeug(e.to_string()),
    })
}

fn sorted_methods(methods: &Option<Vec<String>>) -> Option<Vec<String>> {
    methods.as_ref().map(|m| {
        let mut m: Vec<String> = m.iter().map(|s| s.to_uppercase()).collect();
        m.sort();
        m.dedup();
        m
    })
}

fn describe(rule: &str, endpoint: Option<&str>, methods: &Option<Vec<String>>) -> String {
    let methods = match sorted_methods(methods) {
        Some(m) => m.join(","),
        None => "any method".into(),
    };
    format!(
        "{rule}  [{methods}]  -> {}",
        endpoint.unwrap_or("<computed>")
    )
}

/// Pairs each live rule with its static twin: `Some(index)` into `table.map.rules`, `None` for a
/// pending rule. Rules pair by rule text, endpoint and methods (order ignored); pending rules by
/// endpoint and methods. Anything left over on either side is reported as a diff.
pub fn pair(table: &StaticTable, live: &[RuleSpec]) -> Result<Vec<Option<usize>>, String> {
    let key = |r: &RuleSpec| {
        (
            r.rule.clone(),
            r.endpoint.clone(),
            sorted_methods(&r.methods),
        )
    };
    let mut unused: HashMap<_, Vec<usize>> = HashMap::new();
    for (i, rule) in table.map.rules.iter().enumerate().rev() {
        unused.entry(key(rule)).or_default().push(i);
    }
    let mut twins: Vec<Option<Option<usize>>> = live
        .iter()
        .map(|r| unused.get_mut(&key(r)).and_then(Vec::pop).map(Some))
        .collect();
    let mut pending_used = vec![false; table.pending.len()];
    for (rule, twin) in live.iter().zip(twins.iter_mut()) {
        if twin.is_some() {
            continue;
        }
        let methods = sorted_methods(&rule.methods);
        let found = table.pending.iter().enumerate().position(|(i, p)| {
            !pending_used[i]
                && p.endpoint.as_deref().is_none_or(|e| e == rule.endpoint)
                && sorted_methods(&p.methods) == methods
        });
        if let Some(i) = found {
            pending_used[i] = true;
            *twin = Some(None);
        }
    }
    let mut lines: Vec<String> = Vec::new();
    for i in unused.into_values().flatten() {
        let r = &table.map.rules[i];
        lines.push(format!(
            "- {}",
            describe(&r.rule, Some(&r.endpoint), &r.methods)
        ));
    }
    for (p, used) in table.pending.iter().zip(&pending_used) {
        if !used {
            let rule = format!("<{}>", p.why);
            lines.push(format!(
                "- {}",
                describe(&rule, p.endpoint.as_deref(), &p.methods)
            ));
        }
    }
    for (r, twin) in live.iter().zip(&twins) {
        if twin.is_none() {
            lines.push(format!(
                "+ {}",
                describe(&r.rule, Some(&r.endpoint), &r.methods)
            ));
        }
    }
    if lines.is_empty() {
        return Ok(twins.into_iter().map(Option::flatten).collect());
    }
    lines.sort_by(|a, b| a[2..].cmp(&b[2..]).then(a.cmp(b)));
    let mut out = String::from(
        "error: the application's url_map differs from the route table compiled into this binary\n\
         (rebuild with `bustapi build`, or make the routes independent of run-time conditions)\n\
         --- compiled (from source)\n+++ live (app.url_map)\n",
    );
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    Err(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str, endpoint: &str, methods: &[&str]) -> RuleSpec {
        let mut r = RuleSpec::new(text, endpoint);
        r.methods = Some(methods.iter().map(|m| m.to_string()).collect());
        r
    }

    fn table(rules: Vec<RuleSpec>, pending: Vec<PendingRule>) -> StaticTable {
        StaticTable {
            map: MapSpec {
                rules,
                ..MapSpec::default()
            },
            pending,
        }
    }

    #[test]
    fn equal_tables_in_any_order() {
        let a = table(
            vec![
                rule("/", "index", &["GET", "HEAD"]),
                rule("/x", "x", &["POST"]),
            ],
            vec![],
        );
        let b = [
            rule("/x", "x", &["POST"]),
            rule("/", "index", &["HEAD", "GET"]),
        ];
        assert_eq!(pair(&a, &b), Ok(vec![Some(1), Some(0)]));
    }

    #[test]
    fn diff_names_each_side() {
        let a = table(
            vec![rule("/", "index", &["GET"]), rule("/old", "old", &["GET"])],
            vec![],
        );
        let b = [
            rule("/", "index", &["GET"]),
            rule("/new", "new", &["GET", "POST"]),
        ];
        let diff = pair(&a, &b).unwrap_err();
        assert!(diff.contains("- /old  [GET]  -> old\n"), "{diff}");
        assert!(diff.contains("+ /new  [GET,POST]  -> new\n"), "{diff}");
    }

    #[test]
    fn duplicates_count() {
        let a = table(vec![rule("/", "i", &["GET"])], vec![]);
        let b = [rule("/", "i", &["GET"]), rule("/", "i", &["GET"])];
        assert!(pair(&a, &b).unwrap_err().contains("+ /  [GET]  -> i"));
    }

    #[test]
    fn pending_rules_take_the_live_text() {
        let pending = PendingRule {
            endpoint: Some("static".into()),
            methods: Some(vec!["GET".into()]),
            why: "rule is computed".into(),
        };
        let a = table(vec![rule("/", "i", &["GET"])], vec![pending]);
        let b = [
            rule("/static/<path:filename>", "static", &["GET"]),
            rule("/", "i", &["GET"]),
        ];
        assert_eq!(pair(&a, &b), Ok(vec![None, Some(0)]));
        let c = [rule("/", "i", &["GET"])];
        assert!(pair(&a, &c)
            .unwrap_err()
            .contains("- <rule is computed>  [GET]  -> static"));
    }
}
