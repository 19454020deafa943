//! An application's route table, computed as Flask and Werkzeug would build `app.url_map`:
//! the static route, blueprint prefixes and names (nested blueprints included, per
//! `Blueprint.register` and `BlueprintSetupState.add_url_rule`), endpoints, and methods with the
//! automatic `OPTIONS` (Flask) and `HEAD` (Werkzeug).

use serde::Serialize;

use super::{Loc, Methods, Model, Params, RouteDecl, Text, View};

/// Nested blueprints deeper than this are a cycle.
const MAX_NESTING: usize = 32;

/// One rule of an application's URL map.
#[derive(Clone, Debug, Serialize)]
pub struct Route {
    /// The Werkzeug rule string with prefixes applied; `None` when it cannot be known.
    pub rule: Option<String>,
    pub methods: Vec<String>,
    pub endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subdomain: Option<String>,
    /// Dotted name of the blueprint the route comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blueprint: Option<String>,
    /// Name of the view function (or view class).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    /// Why this route is not certain, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unresolved: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub conditional: bool,
    #[serde(skip)]
    pub loc: Loc,
    #[serde(skip)]
    pub params: Option<Params>,
    #[serde(skip)]
    pub origin: Option<Loc>,
    #[serde(skip)]
    pub raw_methods: Methods,
    /// The rule as written in the declaration (before prefixes).
    #[serde(skip)]
    pub declared_rule: Text,
    /// The endpoint as declared or derived, before blueprint names (for the dot check).
    #[serde(skip)]
    pub local_endpoint: Option<String>,
    #[serde(skip)]
    pub is_static: bool,
    #[serde(skip)]
    pub defaults: bool,
}

/// Blueprint registration state (Flask's `BlueprintSetupState`).
struct State {
    url_prefix: Text,
    subdomain: Text,
    name: Text,
    name_prefix: String,
    unresolved: Option<String>,
    conditional: bool,
}

/// The route table of application `app`, in registration order.
pub fn app_routes(model: &Model, app: usize) -> Vec<Route> {
    let a = &model.apps[app];
    let mut out = Vec::new();
    if let Some(route) = static_route(
        &a.scaffold.static_folder,
        &a.scaffold.static_url_path,
        a.scaffold.loc,
    ) {
        out.push(finish(route, None));
    }
    for decl in &a.scaffold.routes {
        out.push(finish(from_decl(decl), None));
    }
    for reg in &a.scaffold.registrations {
        let state = State {
            url_prefix: reg.url_prefix.clone(),
            subdomain: reg.subdomain.clone(),
            name: reg.name.clone(),
            name_prefix: String::new(),
            unresolved: reg.unresolved.clone(),
            conditional: reg.conditional,
        };
        register(model, reg.blueprint, state, &mut out, 0);
    }
    out
}

fn static_route(folder: &Text, url_path: &Text, loc: Loc) -> Option<Route> {
    let prefix = match (folder, url_path) {
        (Text::None, _) => return None,
        (_, Text::Known(p)) => Text::Known(p.trim_end_matches('/').to_string()),
        (Text::Known(f), Text::None) => {
            let base = f.rsplit('/').next().unwrap_or(f);
            Text::Known(format!("/{base}").trim_end_matches('/').to_string())
        }
        (Text::Unknown(e), _) | (_, Text::Unknown(e)) => Text::Unknown(e.clone()),
    };
    let rule = match prefix {
        Text::Known(p) => Text::Known(format!("{p}/<path:filename>")),
        other => other,
    };
    Some(Route {
        rule: None,
        methods: Vec::new(),
        endpoint: Some("static".into()),
        subdomain: None,
        blueprint: None,
        view: Some("send_static_file".into()),
        unresolved: None,
        conditional: false,
        loc,
        params: None,
        origin: None,
        raw_methods: Methods::Default,
        declared_rule: rule,
        local_endpoint: Some("static".into()),
        is_static: true,
        defaults: false,
    })
}

fn from_decl(decl: &RouteDecl) -> Route {
    let view: Option<&View> = decl.view.as_ref();
    let local_endpoint = match (&decl.endpoint, view.map(|v| &v.name)) {
        (Text::Known(e), _) => Some(e.clone()),
        (Text::None, Some(Text::Known(n))) => Some(n.clone()),
        _ => None,
    };
    let mut unresolved = decl.unresolved.clone();
    if local_endpoint.is_none() && unresolved.is_none() {
        unresolved = Some(match (&decl.endpoint, view) {
            (Text::Unknown(e), _) => format!("endpoint is computed: `{e}`"),
            (_, None) => "view function cannot be followed".into(),
            _ => "view name is computed".into(),
        });
    }
    let mut methods_raw = decl.methods.clone();
    if methods_raw == Methods::Default {
        if let Some(m) = view.and_then(|v| v.methods.clone()) {
            methods_raw = Methods::Known(m);
        }
    }
    Route {
        rule: None,
        methods: Vec::new(),
        endpoint: None,
        subdomain: decl.subdomain.known().map(str::to_string),
        blueprint: None,
        view: view.and_then(|v| {
            v.class
                .clone()
                .or_else(|| v.name.known().map(str::to_string))
        }),
        unresolved,
        conditional: decl.conditional,
        loc: decl.loc,
        params: view.and_then(|v| v.params.clone()),
        origin: view.and_then(|v| v.origin),
        raw_methods: methods_raw,
        declared_rule: decl.rule.clone(),
        local_endpoint,
        is_static: false,
        defaults: decl.defaults,
    }
    .with_auto_options(
        decl.provide_automatic_options
            .or(view.and_then(|v| v.provide_automatic_options)),
    )
}

impl Route {
    /// Flask's `add_url_rule` methods: the given ones upper-cased, `OPTIONS` added unless
    /// disabled, then Werkzeug's `HEAD` when `GET` is there.
    fn with_auto_options(mut self, provide_automatic_options: Option<bool>) -> Route {
        let mut methods: Vec<String> = match &self.raw_methods {
            Methods::Default => vec!["GET".into()],
            Methods::Known(m) => m.iter().map(|m| m.to_uppercase()).collect(),
            Methods::BareString(_) | Methods::Unknown(_) => {
                if self.unresolved.is_none() {
                    self.unresolved = Some(match &self.raw_methods {
                        Methods::Unknown(e) => format!("methods are computed: `{e}`"),
                        _ => "methods given as a string (Flask raises TypeError)".into(),
                    });
                }
                Vec::new()
            }
        };
        if !methods.is_empty() {
            let auto = provide_automatic_options.unwrap_or(!methods.iter().any(|m| m == "OPTIONS"));
            if auto {
                methods.push("OPTIONS".into());
            }
            if methods.iter().any(|m| m == "GET") {
                methods.push("HEAD".into());
            }
        }
        methods.sort();
        methods.dedup();
        self.methods = methods;
        self
    }
}

/// Applies the registration state (none for app-level routes) to a route.
fn finish(mut route: Route, state: Option<&State>) -> Route {
    if route.is_static {
        route = route.with_auto_options(None);
    }
    let mut rule = route.declared_rule.clone();
    let mut endpoint = route
        .local_endpoint
        .clone()
        .map(Text::Known)
        .unwrap_or(Text::None);
    if let Some(state) = state {
        rule = match (&state.url_prefix, rule) {
            (Text::None, r) => r,
            (Text::Known(p), Text::Known(r)) if !r.is_empty() => Text::Known(format!(
                "{}/{}",
                p.trim_end_matches('/'),
                r.trim_start_matches('/')
            )),
            (Text::Known(p), Text::Known(_) | Text::None) => Text::Known(p.clone()),
            (Text::Unknown(e), _) => Text::Unknown(format!("url_prefix {e}")),
            (_, r) => r,
        };
        if route.subdomain.is_none() {
            route.subdomain = state.subdomain.known().map(str::to_string);
        }
        endpoint = match (&state.name, endpoint) {
            (Text::Known(n), Text::Known(e)) => Text::Known(
                format!("{}.{n}.{e}", state.name_prefix)
                    .trim_start_matches('.')
                    .to_string(),
            ),
            (Text::Unknown(n), _) => Text::Unknown(n.clone()),
            (_, e) => e,
        };
        route.blueprint = state.name.known().map(|n| {
            format!("{}.{n}", state.name_prefix)
                .trim_start_matches('.')
                .to_string()
        });
        if route.unresolved.is_none() {
            route.unresolved = state.unresolved.clone();
        }
        route.conditional |= state.conditional;
    }
    match rule {
        Text::Known(r) => route.rule = Some(r),
        Text::Unknown(e) => {
            if route.unresolved.is_none() {
                route.unresolved = Some(format!("rule is computed: `{e}`"));
            }
        }
        Text::None => {
            if route.unresolved.is_none() {
                route.unresolved = Some("no rule given".into());
            }
        }
    }
    route.endpoint = endpoint.known().map(str::to_string);
    if let (None, Text::Unknown(e)) = (&route.unresolved, &endpoint) {
        route.unresolved = Some(format!("blueprint name is computed: `{e}`"));
    }
    route
}

fn register(model: &Model, bp: usize, state: State, out: &mut Vec<Route>, depth: usize) {
    if depth > MAX_NESTING {
        return;
    }
    let b = &model.blueprints[bp];
    let state = State {
        url_prefix: if state.url_prefix == Text::None {
            b.url_prefix.clone()
        } else {
            state.url_prefix
        },
        subdomain: if state.subdomain == Text::None {
            b.subdomain.clone()
        } else {
            state.subdomain
        },
        name: if state.name == Text::None {
            b.name.clone()
        } else {
            state.name
        },
        ..state
    };
    if let Some(route) = static_route(
        &b.scaffold.static_folder,
        &b.scaffold.static_url_path,
        b.scaffold.loc,
    ) {
        out.push(finish(route, Some(&state)));
    }
    for decl in &b.scaffold.routes {
        out.push(finish(from_decl(decl), Some(&state)));
    }
    let full_name = match &state.name {
        Text::Known(n) => Text::Known(
            format!("{}.{n}", state.name_prefix)
                .trim_start_matches('.')
                .to_string(),
        ),
        other => other.clone(),
    };
    for reg in &b.scaffold.registrations {
        let child = &model.blueprints[reg.blueprint];
        let bp_prefix = if reg.url_prefix == Text::None {
            child.url_prefix.clone()
        } else {
            reg.url_prefix.clone()
        };
        let url_prefix = match (&state.url_prefix, bp_prefix) {
            (Text::Known(s), Text::Known(p)) => Text::Known(format!(
                "{}/{}",
                s.trim_end_matches('/'),
                p.trim_start_matches('/')
            )),
            (Text::Unknown(e), _) => Text::Unknown(e.clone()),
            (_, Text::Unknown(e)) => Text::Unknown(e),
            (s, Text::None) => s.clone(),
            (Text::None, p) => p,
        };
        let bp_sub = if reg.subdomain == Text::None {
            child.subdomain.clone()
        } else {
            reg.subdomain.clone()
        };
        let subdomain = match (&state.subdomain, bp_sub) {
            (Text::Known(s), Text::Known(b)) => Text::Known(format!("{b}.{s}")),
            (Text::Unknown(e), _) => Text::Unknown(e.clone()),
            (_, Text::Unknown(e)) => Text::Unknown(e),
            (s, Text::None) => s.clone(),
            (Text::None, b) => b,
        };
        let (name_prefix, unresolved) = match &full_name {
            Text::Known(n) => (
                n.clone(),
                state.unresolved.clone().or(reg.unresolved.clone()),
            ),
            Text::Unknown(e) => (
                String::new(),
                Some(format!("blueprint name is computed: `{e}`")),
            ),
            Text::None => (String::new(), Some("blueprint has no name".into())),
        };
        let child_state = State {
            url_prefix,
            subdomain,
            name: reg.name.clone(),
            name_prefix,
            unresolved,
            conditional: state.conditional || reg.conditional,
        };
        register(model, reg.blueprint, child_state, out, depth + 1);
    }
}
