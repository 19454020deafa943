//! `src/routes.rs` of a generated project: the application's route table as Rust data.
//!
//! Each rule carries its text, endpoint, methods (Flask's automatic `HEAD`/`OPTIONS` included)
//! and where it is declared. A rule whose text the model could not compute (a static folder
//! built with `os.path.join`, a computed prefix) is kept by endpoint and methods only, and takes
//! its text from the live map at start-up.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::routes::Route;
use crate::routes::AppTable;

/// A rule the model knows fully.
fn known(route: &Route) -> Option<&str> {
    match (&route.rule, &route.endpoint, &route.unresolved) {
        (Some(rule), Some(_), None) => Some(rule),
        _ => None,
    }
}

/// How many rules are resolved at start-up.
pub fn pending_count(table: &AppTable) -> usize {
    table.routes.iter().filter(|r| known(r).is_none()).count()
}

fn methods(route: &Route) -> TokenStream {
    let mut methods = route.methods.clone();
    methods.sort();
    quote!(&[#(#methods),*])
}

fn source(table: &AppTable, index: usize) -> String {
    let (file, line, _) = &table.locations[index];
    let route = &table.routes[index];
    match &route.view {
        Some(view) => format!("{file}:{line} {view}"),
        None => format!("{file}:{line}"),
    }
}

pub fn generate(table: &AppTable) -> String {
    let mut rules = Vec::new();
    let mut pending = Vec::new();
    for (i, route) in table.routes.iter().enumerate() {
        let methods = methods(route);
        let source = source(table, i);
        match known(route) {
            Some(rule) => {
                let endpoint = route.endpoint.as_deref().unwrap_or_default();
                rules.push(quote! {
                    Rule { rule: #rule, endpoint: #endpoint, methods: #methods, source: #source }
                });
            }
            None => {
                let endpoint = match &route.endpoint {
                    Some(e) => quote!(Some(#e)),
                    None => quote!(None),
                };
                let why = route
                    .unresolved
                    .clone()
                    .unwrap_or_else(|| "rule not known from source".into());
                let why = format!("{why} ({source})");
                pending.push(quote! {
                    Pending { endpoint: #endpoint, methods: #methods, why: #why }
                });
            }
        }
    }
    let module_doc = format!(
        " The route table of `{}`, read from source by `bustapi build`, in declaration order.",
        table.app
    );
    let file = quote! {
        #![doc = #module_doc]
        //!
        //! At start-up `main.rs` checks that it equals the live `app.url_map` (same rules,
        //! endpoints and methods) and compiles the engine's router from it: URL converters are
        //! applied in Rust, so a request no rule matches never reaches Python.

        use bustapi_runtime::py::embed::{PendingRule, StaticTable};
        use bustapi_runtime::router::{MapSpec, RuleSpec};

        /// A rule known from source.
        struct Rule {
            rule: &'static str,
            endpoint: &'static str,
            /// Upper-case, sorted; Flask's automatic `HEAD` and `OPTIONS` included.
            methods: &'static [&'static str],
            /// Where the rule is declared: `file:line view`.
            #[allow(dead_code)]
            source: &'static str,
        }

        /// A rule known by endpoint and methods only: its text is taken from the live map.
        struct Pending {
            endpoint: Option<&'static str>,
            methods: &'static [&'static str],
            /// Why the text is not known from source, and where the rule is declared.
            why: &'static str,
        }

        const RULES: &[Rule] = &[#(#rules),*];

        const PENDING: &[Pending] = &[#(#pending),*];

        fn strings(items: &[&str]) -> Vec<String> {
            items.iter().map(|s| s.to_string()).collect()
        }

        /// The table `main.rs` checks the application against.
        pub fn table() -> StaticTable {
            let rules = RULES
                .iter()
                .map(|r| {
                    let mut spec = RuleSpec::new(r.rule, r.endpoint);
                    spec.methods = Some(strings(r.methods));
                    spec
                })
                .collect();
            let pending = PENDING
                .iter()
                .map(|p| PendingRule {
                    endpoint: p.endpoint.map(str::to_string),
                    methods: Some(strings(p.methods)),
                    why: p.why.to_string(),
                })
                .collect();
            StaticTable {
                map: MapSpec {
                    rules,
                    ..MapSpec::default()
                },
                pending,
            }
        }
    };
    pretty(file)
}

/// Pretty-prints a file's tokens with `prettyplease`.
pub(super) fn pretty(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => space_items(&prettyplease::unparse(&file)),
        // Generated tokens always parse; if not, the raw tokens still show what went wrong.
        Err(e) => format!("// bustapi build: could not format ({e})\n{tokens}"),
    }
}

/// `prettyplease` prints top-level items back to back; put a blank line between them (and after
/// the module docs), keeping runs of `use`, `mod` and `const` lines together.
fn space_items(code: &str) -> String {
    fn kind(line: &str) -> &str {
        line.split_whitespace().next().unwrap_or("")
    }
    let mut out = String::with_capacity(code.len() + 256);
    let mut prev: Option<&str> = None;
    for line in code.lines() {
        let top = !line.is_empty() && !line.starts_with([' ', '}', ']', ')']);
        if let (true, Some(p)) = (top, prev) {
            let p_top = !p.is_empty() && !p.starts_with(' ');
            let closer = p.starts_with('}') || p.starts_with(']');
            let grouped =
                matches!(kind(p), "use" | "mod" | "const" | "pub" | "//!") && kind(p) == kind(line);
            let attached = p.starts_with("///") || p.starts_with("#[") || p.starts_with(')');
            if (closer || (p_top && !grouped && !attached)) && !p.is_empty() {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}
