//! The app model: what a Flask project declares, read from source without importing it.
//!
//! [`project`] finds the files and names the modules, [`eval`] walks module and factory bodies the
//! way Python would execute them (imports followed inside the project, simple constants resolved),
//! and [`routes`] applies Flask's and Werkzeug's registration rules to produce each application's
//! route table. Anything that cannot be known from source is kept, marked `unresolved` with the
//! reason, rather than guessed.

pub mod eval;
pub mod project;
pub mod routes;
pub mod rule;
pub mod scan;

use serde::Serialize;

use crate::frontend::TextRange;

/// Index of a file in [`project::Project::files`].
pub type FileId = usize;

/// Where something is declared in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Loc {
    pub file: FileId,
    pub range: TextRange,
}

/// A string option as far as the source tells: absent/`None`, a literal (or a resolved constant),
/// or something computed, kept as its source text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Text {
    None,
    Known(String),
    Unknown(String),
}

impl Text {
    pub fn known(&self) -> Option<&str> {
        match self {
            Text::Known(s) => Some(s),
            _ => None,
        }
    }
}

/// How the methods of a route were given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Methods {
    /// Not given: the view's own `methods`, or `GET`.
    Default,
    /// A literal list (as written, not yet upper-cased).
    Known(Vec<String>),
    /// A plain string, which Flask rejects with `TypeError`.
    BareString(String),
    Unknown(String),
}

/// A function's parameters, for checking them against the rule's variables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Params {
    pub names: Vec<String>,
    /// Parameters without a default value.
    pub required: Vec<String>,
    pub var_keyword: bool,
}

/// The view a route points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// `__name__` of the view function (for `as_view`, its first argument).
    pub name: Text,
    /// Where the view object was made: the `def`, or the `as_view(...)` call. Two routes with the
    /// same endpoint and the same `origin` are the same view function (Flask allows that).
    pub origin: Option<Loc>,
    pub params: Option<Params>,
    /// `methods` of a class-based view, when known.
    pub methods: Option<Vec<String>>,
    pub provide_automatic_options: Option<bool>,
    /// Name of the class for `as_view` views.
    pub class: Option<String>,
}

/// One `route`/`add_url_rule` (or shortcut) call as written.
#[derive(Clone, Debug)]
pub struct RouteDecl {
    pub rule: Text,
    pub endpoint: Text,
    pub methods: Methods,
    pub view: Option<View>,
    pub subdomain: Text,
    pub host: Text,
    pub provide_automatic_options: Option<bool>,
    /// `defaults=` was given (values for rule variables the URL does not carry).
    pub defaults: bool,
    /// Which shortcut was used (`route`, `get`, `add_url_rule`, ...).
    pub via: String,
    pub loc: Loc,
    /// Why this declaration's existence or shape is not certain (loop, condition, unknown call).
    pub unresolved: Option<String>,
    /// Registered under an `if`/`try` branch: present only on some runs.
    pub conditional: bool,
}

/// `register_blueprint(bp, ...)` on an app or a blueprint.
#[derive(Clone, Debug)]
pub struct Registration {
    pub blueprint: usize,
    pub url_prefix: Text,
    pub subdomain: Text,
    pub name: Text,
    pub loc: Loc,
    pub unresolved: Option<String>,
    pub conditional: bool,
}

/// A request hook, error handler or template helper attached to an app or blueprint.
#[derive(Clone, Debug, Serialize)]
pub struct Hook {
    pub kind: String,
    pub function: String,
    #[serde(skip)]
    pub loc: Loc,
}

/// Something registered on an application or blueprint: both share Flask's `Scaffold`.
#[derive(Clone, Debug)]
pub struct Scaffold {
    pub routes: Vec<RouteDecl>,
    pub registrations: Vec<Registration>,
    pub hooks: Vec<Hook>,
    pub loc: Loc,
    /// The variable name it was first bound to (`app`, `bp`), for reports.
    pub var: String,
    pub static_folder: Text,
    pub static_url_path: Text,
    pub template_folder: Text,
}

impl Scaffold {
    /// A scaffold (app or blueprint) created at `loc`, with nothing registered on it yet.
    pub fn new(
        loc: Loc,
        static_folder: Text,
        static_url_path: Text,
        template_folder: Text,
    ) -> Self {
        Scaffold {
            routes: Vec::new(),
            registrations: Vec::new(),
            hooks: Vec::new(),
            loc,
            var: String::new(),
            static_folder,
            static_url_path,
            template_folder,
        }
    }
}

#[derive(Clone, Debug)]
pub struct App {
    pub scaffold: Scaffold,
    /// `Flask` or `BustAPI`.
    pub class: String,
    pub middleware: Vec<Middleware>,
    pub run_calls: Vec<RunCall>,
    /// Custom converters registered with `app.url_map.converters[...] = ...`.
    pub converters: Vec<(String, Loc)>,
    /// Made inside a function (an app factory) rather than at module level.
    pub factory: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Blueprint {
    pub scaffold: Scaffold,
    pub name: Text,
    pub url_prefix: Text,
    pub subdomain: Text,
}

/// `app.wsgi_app = Something(app.wsgi_app, ...)`.
#[derive(Clone, Debug)]
pub struct Middleware {
    pub name: String,
    pub loc: Loc,
}

/// `app.run(...)` with the keyword arguments it passes.
#[derive(Clone, Debug)]
pub struct RunCall {
    pub options: Vec<(String, TextRange)>,
    pub loc: Loc,
}

/// A Flask extension imported or initialised.
#[derive(Clone, Debug)]
pub struct ExtensionUse {
    /// Top-level distribution module, e.g. `flask_sqlalchemy`.
    pub module: String,
    pub loc: Loc,
}

/// A `render_template` call.
#[derive(Clone, Debug)]
pub struct TemplateRef {
    pub name: Text,
    pub loc: Loc,
}

/// Something in the project the model could not follow.
#[derive(Clone, Debug)]
pub struct Unresolved {
    pub what: String,
    pub loc: Loc,
}

/// Everything the model found.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub apps: Vec<App>,
    pub blueprints: Vec<Blueprint>,
    pub extensions: Vec<ExtensionUse>,
    pub templates: Vec<TemplateRef>,
    pub unresolved: Vec<Unresolved>,
}
