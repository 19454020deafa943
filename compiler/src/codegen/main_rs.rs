//! `src/main.rs` and `build.rs` of a generated project: start-up of the built service.
//!
//! The binary parses the flags of `bustapi run`, starts CPython with the environment recorded at
//! build time (each part overridable by a flag or an environment variable), registers its own
//! engine as `bustapi._core`, imports the application with `bustapi.cli.load_app`, checks the
//! live `url_map` against `routes.rs`, and serves with `bustapi.serving.serve_built`.

use quote::quote;

use super::routes_rs::pretty;
use super::BuildOptions;
use crate::routes::AppTable;

pub fn build_rs() -> String {
    pretty(quote! {
        //! Links libpython with an rpath: without one, the binary may load another Python's
        //! libpython at run time (FINDINGS.md, "Embedding CPython").

        fn main() {
            pyo3_build_config::add_libpython_rpath_link_args();
        }
    })
}

pub fn generate(name: &str, table: &AppTable, import: &str, options: &BuildOptions) -> String {
    let module_doc = format!(
        " `{name}`: the Flask application `{}`, built by `bustapi build`.",
        table.app
    );
    let about = format!(
        "Serve the Flask application {} (built by bustapi)",
        table.app
    );
    let home = &options.python_home;
    let python = &options.python_executable;
    let site_dirs = &options.site_dirs;
    let app_dir = &options.app_dir;
    let file = quote! {
        #![doc = #module_doc]
        //!
        //! Start-up: the flags of `bustapi run`; CPython with the environment recorded at build
        //! time; this binary's engine registered as `bustapi._core`; the application imported by
        //! `bustapi.cli.load_app`; its `url_map` checked against [`routes::table`]; then served
        //! until SIGINT/SIGTERM, in-flight requests finishing first.

        mod routes;
        mod templates;

        use std::path::PathBuf;
        use std::process::ExitCode;

        use bustapi_runtime::py::embed::{self, Compiled, PythonEnv};
        use clap::Parser;
        use pyo3::prelude::*;
        use pyo3::types::PyDict;

        /// What `bustapi.cli.load_app` imports: the entry file and, if named, the application.
        const APP: &str = #import;
        /// `sys.base_prefix` of the Python this binary was built against.
        const PYTHON_HOME: &str = #home;
        /// `sys.executable` of that Python (the virtualenv's interpreter).
        const PYTHON: &str = #python;
        /// The virtualenv's site-packages.
        const SITE_DIRS: &[&str] = &[#(#site_dirs),*];
        /// The directory the application was built from (first on `sys.path`, as under `bustapi run`).
        const APP_DIR: &str = #app_dir;

        #[derive(Parser, Debug)]
        #[command(version, about = #about, disable_help_flag = true)]
        struct Args {
            /// Interface to bind.
            #[arg(long, short = 'h', default_value = "127.0.0.1")]
            host: String,
            /// Port to bind.
            #[arg(long, short = 'p', default_value_t = 5000)]
            port: u16,
            /// Python worker threads.
            #[arg(long, default_value_t = 8)]
            threads: usize,
            /// Processes sharing the port (SO_REUSEPORT), each restarted if it dies.
            #[arg(long, default_value_t = 1)]
            workers: usize,
            /// Listen on a Unix socket instead.
            #[arg(long)]
            unix_socket: Option<PathBuf>,
            /// Set `app.debug` (as `flask --debug`).
            #[arg(long, overrides_with = "no_debug")]
            debug: bool,
            #[arg(long, hide = true)]
            no_debug: bool,
            /// Log each request.
            #[arg(long)]
            access_log: bool,
            /// SO_REUSEPORT (for several processes on one port).
            #[arg(long, hide = true)]
            reuse_port: bool,
            /// Serve an inherited listening socket (set by the `--workers` supervisor).
            #[arg(long, hide = true)]
            fd: Option<i32>,
            /// Python home (`sys.base_prefix`).
            #[arg(long, env = "BUSTAPI_PYTHONHOME", default_value = PYTHON_HOME)]
            python_home: PathBuf,
            /// Python executable the environment derives from (`sys.executable`).
            #[arg(long, env = "BUSTAPI_PYTHON", default_value = PYTHON)]
            python: PathBuf,
            /// Site directory to add (a virtualenv's site-packages); repeatable.
            #[arg(long = "site-dir", env = "BUSTAPI_SITE_DIRS", value_delimiter = ':', default_values = SITE_DIRS)]
            site_dirs: Vec<PathBuf>,
            /// Directory the application is imported from.
            #[arg(long, env = "BUSTAPI_APP_DIR", default_value = APP_DIR)]
            app_dir: PathBuf,
            /// Print help.
            #[arg(long, action = clap::ArgAction::Help)]
            help: Option<bool>,
        }

        fn main() -> ExitCode {
            let args = Args::parse();
            if args.workers == 0 {
                eprintln!("error: --workers must be at least 1");
                return ExitCode::from(2);
            }
            let env = PythonEnv {
                home: Some(args.python_home.clone()),
                executable: Some(args.python.clone()),
                site_dirs: args.site_dirs.clone(),
                path: vec![args.app_dir.clone()],
                program: std::env::args().next().unwrap_or_default(),
            };
            if let Err(e) = embed::initialize(&env) {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
            let run = if args.workers > 1 { supervise } else { serve };
            Python::attach(|py| match run(py, &args) {
                Ok(code) => code,
                Err(e) => {
                    e.display(py);
                    ExitCode::FAILURE
                }
            })
        }

        /// `--workers N`: copies of this binary sharing the socket, supervised by the same code as
        /// `bustapi run --workers` (restarts with back-off, graceful stop on SIGINT/SIGTERM).
        fn supervise(py: Python<'_>, args: &Args) -> PyResult<ExitCode> {
            let exe = std::env::current_exe()?.to_string_lossy().into_owned();
            let argv: Vec<String> = std::iter::once(exe).chain(std::env::args().skip(1)).collect();
            let unix_socket = args.unix_socket.as_ref().map(|p| p.to_string_lossy().into_owned());
            py.import("bustapi.cli")?
                .call_method1("supervise_built", (argv, args.workers, unix_socket))?;
            Ok(ExitCode::SUCCESS)
        }

        /// Imports the application, checks its routes against [`routes::table`] and serves it.
        fn serve(py: Python<'_>, args: &Args) -> PyResult<ExitCode> {
            embed::install_core_module(py)?;
            let app = py.import("bustapi.cli")?.call_method1("load_app", (APP,))?;
            // The compiled templates; `serve_built` routes `render_template` through them.
            bustapi_runtime::template::install(py, templates::REGISTRY, templates::SOURCES)?;
            if args.debug || args.no_debug {
                app.setattr("debug", args.debug)?;
            }
            let live = py
                .import("bustapi.routing")?
                .call_method1("freeze_map", (app.getattr("url_map")?,))?;
            let router = match embed::compile_static(py, &routes::table(), &live)? {
                Compiled::Router(router) => Some(router),
                Compiled::Werkzeug(why) => {
                    eprintln!(" * routing left to Werkzeug: {why}");
                    None
                }
                Compiled::Mismatch(diff) => {
                    eprint!("{diff}");
                    return Ok(ExitCode::FAILURE);
                }
            };
            let options = PyDict::new(py);
            options.set_item("host", &args.host)?;
            options.set_item("port", args.port)?;
            options.set_item("threads", args.threads)?;
            // An inherited socket (`--fd`) replaces binding the Unix socket again.
            let unix_socket = match args.fd {
                Some(_) => None,
                None => args.unix_socket.as_ref().map(|p| p.to_string_lossy().into_owned()),
            };
            options.set_item("unix_socket", unix_socket)?;
            options.set_item("fd", args.fd)?;
            options.set_item("reuse_port", args.reuse_port)?;
            options.set_item("access_log", args.access_log)?;
            py.import("bustapi.serving")?
                .call_method("serve_built", (app, router), Some(&options))?;
            Ok(ExitCode::SUCCESS)
        }
    };
    pretty(file)
}
