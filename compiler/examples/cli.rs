//! Runs the checker without Python: `cargo run --release -p bustapi-compiler --example cli --
//! check [--format F] PATH...` or `... routes TARGET`. The `bustapi` command is the real front end.

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => {
            let mut options = bustapi_compiler::config::Options::default();
            let mut paths = Vec::new();
            let mut it = args[1..].iter();
            while let Some(a) = it.next() {
                if a == "--format" {
                    let f = it.next().cloned().unwrap_or_default();
                    options.format = serde_json::from_str(&format!("{f:?}")).expect("format");
                } else {
                    paths.push(PathBuf::from(a));
                }
            }
            let out = bustapi_compiler::check(&paths, &options);
            print!("{}", out.output);
            eprint!("{}", out.errors);
            std::process::exit(out.exit_code);
        }
        Some("routes") => {
            let cwd = std::env::current_dir().expect("cwd");
            match bustapi_compiler::routes::static_routes(&args[1], &cwd) {
                Ok(r) => println!("{}", serde_json::to_string_pretty(&r).expect("json")),
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::exit(2);
                }
            }
        }
        _ => {
            eprintln!("usage: cli check PATH... | cli routes TARGET");
            std::process::exit(2);
        }
    }
}
