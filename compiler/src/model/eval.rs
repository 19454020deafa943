//! A small abstract interpreter over module and factory bodies.
//!
//! It executes what Flask apps do at import time — imports, assignments, `def`/`class`, decorators,
//! calls to `Flask(...)`, `Blueprint(...)`, `route`, `add_url_rule`, `register_blueprint`, hooks —
//! and follows calls into the project's own functions (app factories, `init_routes(app)`), binding
//! their arguments. Values it cannot know are [`V::Unknown`]; registrations made where the source
//! does not decide how often they happen (loops) are recorded and marked unresolved.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::frontend::ast::{self, Expr, Stmt};
use crate::frontend::{Ranged, TextRange};

use super::project::Project;
use super::{
    App, Blueprint, ExtensionUse, FileId, Hook, Loc, Methods, Middleware, Model, Params,
    Registration, RouteDecl, RunCall, Scaffold, Text, Unresolved, View,
};

/// How deep calls into project functions are followed.
const MAX_CALL_DEPTH: usize = 8;
/// How deep expressions are evaluated.
const MAX_EVAL_DEPTH: usize = 200;

/// Names that construct an application.
const APP_CLASSES: &[&str] = &[
    "flask.Flask",
    "flask.app.Flask",
    "bustapi.BustAPI",
    "bustapi.app.BustAPI",
];
const BLUEPRINT_CLASSES: &[&str] = &["flask.Blueprint", "flask.blueprints.Blueprint"];
/// `View.http_method_funcs`.
const HTTP_METHOD_FUNCS: &[&str] = &[
    "get", "post", "head", "options", "delete", "put", "trace", "patch",
];
/// Hooks taking the function directly (`@app.before_request`).
const HOOKS: &[&str] = &[
    "before_request",
    "after_request",
    "teardown_request",
    "teardown_appcontext",
    "context_processor",
    "url_value_preprocessor",
    "url_defaults",
    "shell_context_processor",
    "before_first_request",
    "before_app_request",
    "after_app_request",
    "teardown_app_request",
    "app_context_processor",
    "app_url_value_preprocessor",
    "app_url_defaults",
    "before_app_first_request",
];
/// Hooks taking arguments first (`@app.errorhandler(404)`, `@app.template_filter("x")`).
const HOOK_FACTORIES: &[&str] = &[
    "errorhandler",
    "app_errorhandler",
    "template_filter",
    "template_global",
    "template_test",
    "app_template_filter",
    "app_template_global",
    "app_template_test",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    App(usize),
    Bp(usize),
}

/// A route decorator waiting for its function: `app.route("/x", methods=[...])`.
#[derive(Clone, Debug)]
pub struct PendingRoute {
    target: Target,
    rule: Text,
    endpoint: Text,
    methods: Methods,
    subdomain: Text,
    host: Text,
    provide_automatic_options: Option<bool>,
    defaults: bool,
    via: String,
    loc: Loc,
}

pub struct FuncVal<'a> {
    def: &'a ast::StmtFunctionDef,
    file: FileId,
    module: usize,
    closure: Option<Rc<HashMap<String, V<'a>>>>,
}

#[derive(Clone)]
pub enum V<'a> {
    Str(String),
    Int(i64),
    Bool(bool),
    NoneV,
    List(Vec<V<'a>>),
    App(usize),
    Bp(usize),
    Func(Rc<FuncVal<'a>>),
    Class(usize),
    Module(usize),
    /// An object from outside the project, by qualified name (`flask.Flask`).
    Ext(String),
    /// An instance of an outside class (`flask_sqlalchemy.SQLAlchemy(...)`).
    ExtInstance(String),
    /// An attribute of an app or blueprint, not yet called (`app.route`).
    Method(Box<V<'a>>, String),
    RouteDeco(Box<PendingRoute>),
    HookDeco(Target, String),
    ViewFn(Box<View>),
    Unknown,
}

struct ClassInfo<'a> {
    name: String,
    bases: Vec<V<'a>>,
    methods_attr: Option<Vec<String>>,
    functions: Vec<String>,
    provide_automatic_options: Option<bool>,
}

struct ModState<'a> {
    file: FileId,
    ns: HashMap<String, V<'a>>,
    status: u8,
}

struct Frame<'a> {
    module: usize,
    locals: Option<HashMap<String, V<'a>>>,
    closure: Option<Rc<HashMap<String, V<'a>>>>,
    ret: Option<V<'a>>,
    factory: Option<String>,
}

pub struct Interp<'a> {
    project: &'a Project,
    modules: Vec<ModState<'a>>,
    classes: Vec<ClassInfo<'a>>,
    pub model: Model,
    loop_depth: usize,
    cond_depth: usize,
    main_block: bool,
    call_depth: usize,
    eval_depth: usize,
    active: Vec<(FileId, u32)>,
    /// Function definitions whose body has been executed.
    called: HashSet<(FileId, u32)>,
    seen_ext: HashSet<(FileId, String)>,
}

fn loc(file: FileId, node: &impl Ranged) -> Loc {
    Loc {
        file,
        range: node.range(),
    }
}

impl<'a> Interp<'a> {
    pub fn new(project: &'a Project) -> Interp<'a> {
        let modules = (0..project.files.len())
            .map(|file| ModState {
                file,
                ns: HashMap::new(),
                status: 0,
            })
            .collect();
        Interp {
            project,
            modules,
            classes: Vec::new(),
            model: Model::default(),
            loop_depth: 0,
            cond_depth: 0,
            main_block: false,
            call_depth: 0,
            eval_depth: 0,
            active: Vec::new(),
            called: HashSet::new(),
            seen_ext: HashSet::new(),
        }
    }

    /// Executes a module (once), as `import` would.
    pub fn run_module(&mut self, m: usize) {
        if self.modules[m].status != 0 {
            return;
        }
        self.modules[m].status = 1;
        let file = self.modules[m].file;
        let name = self.project.module_names[file].clone();
        self.modules[m].ns.insert("__name__".into(), V::Str(name));
        let body = &self.project.files[file].module.body;
        let mut frame = Frame {
            module: m,
            locals: None,
            closure: None,
            ret: None,
            factory: None,
        };
        // Loops and conditions of an importing module do not apply to the imported one.
        let saved = (self.loop_depth, self.cond_depth, self.main_block);
        (self.loop_depth, self.cond_depth, self.main_block) = (0, 0, false);
        self.exec_body(body, &mut frame);
        (self.loop_depth, self.cond_depth, self.main_block) = saved;
        self.modules[m].status = 2;
    }

    /// A module-level name after the module ran.
    pub fn global(&self, m: usize, name: &str) -> Option<V<'a>> {
        self.modules[m].ns.get(name).cloned()
    }

    /// Every module-level value (for finding the application).
    pub fn globals(&self, m: usize) -> Vec<V<'a>> {
        self.modules[m].ns.values().cloned().collect()
    }

    /// Calls a module-level function with no arguments (`module:create_app()`, factory discovery).
    pub fn call_global(&mut self, m: usize, name: &str) -> V<'a> {
        match self.global(m, name) {
            Some(V::Func(f)) => self.call_function(&f, Vec::new(), Vec::new()),
            _ => V::Unknown,
        }
    }

    /// After the modules ran: calls factories nobody called, and marks functions that register
    /// routes but were never executed as unresolved.
    pub fn finish(&mut self, modules: &[usize]) {
        for &m in modules {
            let file = self.modules[m].file;
            for stmt in &self.project.files[file].module.body {
                if let Stmt::FunctionDef(def) = stmt {
                    let key = (file, def.range.start().to_u32());
                    if matches!(def.name.id.as_str(), "create_app" | "make_app")
                        && !self.called.contains(&key)
                    {
                        self.call_global(m, def.name.id.as_str());
                    }
                }
            }
        }
        for &m in modules {
            let file = self.modules[m].file;
            let body = &self.project.files[file].module.body;
            self.scan_uncalled(file, body);
        }
    }

    fn scan_uncalled(&mut self, file: FileId, body: &'a [Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(def) => {
                    let key = (file, def.range.start().to_u32());
                    if !self.called.contains(&key) {
                        if let Some(range) = first_registration(&def.body) {
                            self.model.unresolved.push(Unresolved {
                                what: format!(
                                    "`{}()` registers routes or blueprints but is never called where \
                                     the checker can follow it",
                                    def.name.id
                                ),
                                loc: Loc { file, range },
                            });
                        }
                    }
                }
                Stmt::ClassDef(_) => {}
                _ => {}
            }
        }
    }

    // ---------------------------------------------------------------- statements

    fn exec_body(&mut self, body: &'a [Stmt], frame: &mut Frame<'a>) {
        for stmt in body {
            if frame.ret.is_some() {
                return;
            }
            self.exec(stmt, frame);
        }
    }

    fn file(&self, frame: &Frame<'a>) -> FileId {
        self.modules[frame.module].file
    }

    fn exec(&mut self, stmt: &'a Stmt, frame: &mut Frame<'a>) {
        let file = self.file(frame);
        match stmt {
            Stmt::Import(imp) => {
                for alias in &imp.names {
                    let full = alias.name.id.as_str();
                    self.note_extension(full, file, alias);
                    if let Some(asname) = &alias.asname {
                        let v = self.import_absolute(full);
                        self.bind(frame, asname.id.as_str(), v);
                    } else {
                        let top = full.split('.').next().unwrap_or(full);
                        // `import a.b` runs a.b and binds `a`.
                        let _ = self.import_absolute(full);
                        let v = self.import_absolute(top);
                        self.bind(frame, top, v);
                    }
                }
            }
            Stmt::ImportFrom(imp) => self.exec_import_from(imp, frame),
            Stmt::Assign(assign) => {
                let value = self.eval(&assign.value, frame);
                for target in &assign.targets {
                    self.assign(target, value.clone(), &assign.value, frame);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value_expr) = &assign.value {
                    let value = self.eval(value_expr, frame);
                    self.assign(&assign.target, value, value_expr, frame);
                }
            }
            Stmt::AugAssign(aug) => {
                let value = match (&*aug.target, aug.op) {
                    (Expr::Name(n), ast::Operator::Add) => {
                        let left = self.lookup(frame, n.id.as_str());
                        let right = self.eval(&aug.value, frame);
                        match (left, right) {
                            (V::Str(a), V::Str(b)) => V::Str(a + &b),
                            _ => V::Unknown,
                        }
                    }
                    _ => V::Unknown,
                };
                if let Expr::Name(n) = &*aug.target {
                    self.bind(frame, n.id.as_str(), value);
                }
            }
            Stmt::FunctionDef(def) => {
                let closure = frame.locals.as_ref().map(|l| {
                    let mut all = frame.closure.as_deref().cloned().unwrap_or_default();
                    all.extend(l.iter().map(|(k, v)| (k.clone(), v.clone())));
                    Rc::new(all)
                });
                let func = V::Func(Rc::new(FuncVal {
                    def,
                    file,
                    module: frame.module,
                    closure,
                }));
                let value = self.decorate(&def.decorator_list, func, frame);
                self.bind(frame, def.name.id.as_str(), value);
            }
            Stmt::ClassDef(class) => {
                let value = self.exec_class(class, frame);
                let value = self.decorate(&class.decorator_list, value, frame);
                self.bind(frame, class.name.id.as_str(), value);
            }
            Stmt::Expr(e) => {
                self.eval(&e.value, frame);
            }
            Stmt::Return(ret) => {
                let value = ret.value.as_ref().map_or(V::NoneV, |v| self.eval(v, frame));
                if self.cond_depth == 0 || frame.ret.is_none() {
                    frame.ret = Some(value);
                }
            }
            Stmt::If(stmt_if) => {
                if is_main_guard(&stmt_if.test) {
                    let saved = self.main_block;
                    self.main_block = true;
                    self.exec_body(&stmt_if.body, frame);
                    self.main_block = saved;
                    for clause in &stmt_if.elif_else_clauses {
                        self.exec_cond(&clause.body, frame);
                    }
                    return;
                }
                if let Some(truth) = Self::static_truth(&stmt_if.test) {
                    // `if TYPE_CHECKING:`, `if False:` — decided by the source.
                    if truth {
                        self.exec_body(&stmt_if.body, frame);
                    } else if let Some(clause) = stmt_if.elif_else_clauses.first() {
                        if clause.test.is_none() {
                            self.exec_body(&clause.body, frame);
                        }
                    }
                    return;
                }
                self.eval(&stmt_if.test, frame);
                self.exec_cond(&stmt_if.body, frame);
                for clause in &stmt_if.elif_else_clauses {
                    self.exec_cond(&clause.body, frame);
                }
            }
            Stmt::Try(stmt_try) => {
                self.exec_body(&stmt_try.body, frame);
                for handler in &stmt_try.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    self.exec_cond(&h.body, frame);
                }
                self.exec_body(&stmt_try.orelse, frame);
                self.exec_body(&stmt_try.finalbody, frame);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.eval(&item.context_expr, frame);
                    if let Some(vars) = &item.optional_vars {
                        self.bind_unknown(vars, frame);
                    }
                }
                self.exec_body(&with.body, frame);
            }
            Stmt::For(stmt_for) => {
                self.eval(&stmt_for.iter, frame);
                self.bind_unknown(&stmt_for.target, frame);
                self.loop_depth += 1;
                self.exec_body(&stmt_for.body, frame);
                self.loop_depth -= 1;
                self.exec_cond(&stmt_for.orelse, frame);
            }
            Stmt::While(stmt_while) => {
                self.loop_depth += 1;
                self.exec_body(&stmt_while.body, frame);
                self.loop_depth -= 1;
                self.exec_cond(&stmt_while.orelse, frame);
            }
            Stmt::Match(stmt_match) => {
                for case in &stmt_match.cases {
                    self.exec_cond(&case.body, frame);
                }
            }
            Stmt::Global(global) => {
                // A function rebinding a global makes its value uncertain.
                for name in &global.names {
                    self.modules[frame.module]
                        .ns
                        .insert(name.id.to_string(), V::Unknown);
                }
            }
            _ => {}
        }
    }

    fn exec_cond(&mut self, body: &'a [Stmt], frame: &mut Frame<'a>) {
        self.cond_depth += 1;
        self.exec_body(body, frame);
        self.cond_depth -= 1;
    }

    fn static_truth(test: &Expr) -> Option<bool> {
        match test {
            Expr::BooleanLiteral(b) => Some(b.value),
            Expr::Name(n) if n.id.as_str() == "TYPE_CHECKING" => Some(false),
            Expr::Attribute(a) if a.attr.id.as_str() == "TYPE_CHECKING" => Some(false),
            Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::Not) => {
                Self::static_truth(&u.operand).map(|b| !b)
            }
            _ => None,
        }
    }

    fn exec_import_from(&mut self, imp: &'a ast::StmtImportFrom, frame: &mut Frame<'a>) {
        let file = self.file(frame);
        let module = imp
            .module
            .as_ref()
            .map(|m| m.id.to_string())
            .unwrap_or_default();
        let base = if imp.level > 0 {
            match self.relative_base(file, imp.level) {
                Some(base) => join_module(&base, &module),
                None => {
                    for alias in &imp.names {
                        let name = alias.asname.as_ref().unwrap_or(&alias.name);
                        self.bind(frame, name.id.as_str(), V::Unknown);
                    }
                    return;
                }
            }
        } else {
            self.note_extension(&module, file, imp);
            module
        };
        let source = self.import_absolute(&base);
        for alias in &imp.names {
            let name = alias.name.id.as_str();
            if name == "*" {
                if let V::Module(m) = source {
                    let names: Vec<(String, V<'a>)> = self.modules[m]
                        .ns
                        .iter()
                        .filter(|(k, _)| !k.starts_with('_'))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    for (k, v) in names {
                        self.bind(frame, &k, v);
                    }
                }
                continue;
            }
            let value = match &source {
                V::Module(m) => match self.modules[*m].ns.get(name) {
                    Some(v) => v.clone(),
                    None => self.import_absolute(&format!("{base}.{name}")),
                },
                V::Ext(q) => V::Ext(format!("{q}.{name}")),
                _ => V::Unknown,
            };
            let bound = alias.asname.as_ref().unwrap_or(&alias.name);
            self.bind(frame, bound.id.as_str(), value);
        }
    }

    /// The package a relative import of `level` dots starts from.
    fn relative_base(&self, file: FileId, level: u32) -> Option<String> {
        let name = &self.project.module_names[file];
        let mut parts: Vec<&str> = if name.is_empty() {
            Vec::new()
        } else {
            name.split('.').collect()
        };
        if !self.project.is_package(file) {
            parts.pop()?;
        }
        for _ in 1..level {
            parts.pop()?;
        }
        Some(parts.join("."))
    }

    /// `import name`: a project module (executed once), or an outside one.
    fn import_absolute(&mut self, name: &str) -> V<'a> {
        match self.project.module(name) {
            Some(file) if !name.is_empty() => {
                self.run_module(file);
                V::Module(file)
            }
            _ => V::Ext(name.to_string()),
        }
    }

    fn note_extension(&mut self, module: &str, file: FileId, node: &impl Ranged) {
        let top = module.split('.').next().unwrap_or(module);
        let name = if top == "flask" && module.starts_with("flask.ext.") {
            module.split('.').nth(2).map(|m| format!("flask_{m}"))
        } else if top.starts_with("flask_") || top.starts_with("flaskext") {
            Some(top.to_string())
        } else {
            None
        };
        if let Some(name) = name {
            if self.project.module(top).is_none() && self.seen_ext.insert((file, name.clone())) {
                self.model.extensions.push(ExtensionUse {
                    module: name,
                    loc: loc(file, node),
                });
            }
        }
    }

    fn bind(&mut self, frame: &mut Frame<'a>, name: &str, value: V<'a>) {
        if let (V::App(i), true) = (&value, true) {
            let var = &mut self.model.apps[*i].scaffold.var;
            if var.is_empty() {
                *var = name.to_string();
            }
        }
        if let V::Bp(i) = &value {
            let var = &mut self.model.blueprints[*i].scaffold.var;
            if var.is_empty() {
                *var = name.to_string();
            }
        }
        match &mut frame.locals {
            Some(locals) => {
                locals.insert(name.to_string(), value);
            }
            None => {
                self.modules[frame.module]
                    .ns
                    .insert(name.to_string(), value);
            }
        }
    }

    fn bind_unknown(&mut self, target: &Expr, frame: &mut Frame<'a>) {
        match target {
            Expr::Name(n) => self.bind(frame, n.id.as_str(), V::Unknown),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.bind_unknown(e, frame)),
            Expr::List(t) => t.elts.iter().for_each(|e| self.bind_unknown(e, frame)),
            Expr::Starred(s) => self.bind_unknown(&s.value, frame),
            _ => {}
        }
    }

    fn lookup(&self, frame: &Frame<'a>, name: &str) -> V<'a> {
        if let Some(v) = frame.locals.as_ref().and_then(|l| l.get(name)) {
            return v.clone();
        }
        if let Some(v) = frame.closure.as_ref().and_then(|c| c.get(name)) {
            return v.clone();
        }
        if let Some(v) = self.modules[frame.module].ns.get(name) {
            return v.clone();
        }
        match name {
            "True" => V::Bool(true),
            "False" => V::Bool(false),
            "None" => V::NoneV,
            "__import__" => V::Ext("builtins.__import__".into()),
            _ => V::Unknown,
        }
    }

    fn assign(
        &mut self,
        target: &'a Expr,
        value: V<'a>,
        value_expr: &'a Expr,
        frame: &mut Frame<'a>,
    ) {
        let file = self.file(frame);
        match target {
            Expr::Name(n) => self.bind(frame, n.id.as_str(), value),
            Expr::Attribute(attr) => {
                let owner = self.eval(&attr.value, frame);
                if let (V::App(i), "wsgi_app") = (&owner, attr.attr.id.as_str()) {
                    let name = match value_expr {
                        Expr::Call(call) => self.project.files[file]
                            .slice(call.func.range())
                            .to_string(),
                        other => self.project.files[file].slice(other.range()).to_string(),
                    };
                    self.model.apps[*i].middleware.push(Middleware {
                        name,
                        loc: loc(file, target),
                    });
                }
            }
            Expr::Subscript(sub) => {
                // app.url_map.converters["name"] = Converter
                if let Expr::Attribute(conv) = &*sub.value {
                    if conv.attr.id.as_str() == "converters" {
                        if let Expr::Attribute(map) = &*conv.value {
                            if map.attr.id.as_str() == "url_map" {
                                if let V::App(i) = self.eval(&map.value, frame) {
                                    let key = match self.eval(&sub.slice, frame) {
                                        V::Str(s) => s,
                                        _ => "?".into(),
                                    };
                                    self.model.apps[i].converters.push((key, loc(file, target)));
                                }
                            }
                        }
                    }
                }
            }
            Expr::Tuple(_) | Expr::List(_) | Expr::Starred(_) => self.bind_unknown(target, frame),
            _ => {}
        }
    }

    fn exec_class(&mut self, class: &'a ast::StmtClassDef, frame: &mut Frame<'a>) -> V<'a> {
        let bases: Vec<V<'a>> = class
            .arguments
            .as_ref()
            .map(|a| a.args.iter().map(|b| self.eval(b, frame)).collect())
            .unwrap_or_default();
        let mut info = ClassInfo {
            name: class.name.id.to_string(),
            bases,
            methods_attr: None,
            functions: Vec::new(),
            provide_automatic_options: None,
        };
        for stmt in &class.body {
            match stmt {
                Stmt::FunctionDef(def) => info.functions.push(def.name.id.to_string()),
                Stmt::Assign(assign) => {
                    for target in &assign.targets {
                        if let Expr::Name(n) = target {
                            match n.id.as_str() {
                                "methods" => {
                                    info.methods_attr = match self.eval(&assign.value, frame) {
                                        V::List(items) => Some(
                                            items
                                                .into_iter()
                                                .filter_map(|v| match v {
                                                    V::Str(s) => Some(s),
                                                    _ => None,
                                                })
                                                .collect(),
                                        ),
                                        _ => None,
                                    }
                                }
                                "provide_automatic_options" => {
                                    if let V::Bool(b) = self.eval(&assign.value, frame) {
                                        info.provide_automatic_options = Some(b);
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        self.classes.push(info);
        let id = self.classes.len() - 1;
        V::Class(id)
    }

    fn class_is(&self, id: usize, names: &[&str]) -> bool {
        self.classes[id].bases.iter().any(|b| match b {
            V::Ext(q) => names.contains(&q.as_str()),
            V::Class(c) => *c != id && self.class_is(*c, names),
            _ => false,
        })
    }

    fn class_has_function(&self, id: usize, name: &str, depth: usize) -> bool {
        depth < 16
            && (self.classes[id].functions.iter().any(|f| f == name)
                || self.classes[id].bases.iter().any(|b| match b {
                    V::Class(c) => self.class_has_function(*c, name, depth + 1),
                    _ => false,
                }))
    }

    /// `cls.methods` as `View.__init_subclass__` computes it.
    fn class_methods(&self, id: usize, depth: usize) -> Option<Vec<String>> {
        if depth > 16 {
            return None;
        }
        if let Some(m) = &self.classes[id].methods_attr {
            return Some(m.clone());
        }
        let mut methods: Vec<String> = Vec::new();
        for base in &self.classes[id].bases {
            if let V::Class(c) = base {
                if let Some(m) = self.class_methods(*c, depth + 1) {
                    methods.extend(m);
                }
            }
        }
        for key in HTTP_METHOD_FUNCS {
            if self.class_has_function(id, key, 0) {
                methods.push(key.to_uppercase());
            }
        }
        methods.sort();
        methods.dedup();
        (!methods.is_empty()).then_some(methods)
    }

    fn decorate(
        &mut self,
        decorators: &'a [ast::Decorator],
        value: V<'a>,
        frame: &mut Frame<'a>,
    ) -> V<'a> {
        let mut value = value;
        for deco in decorators.iter().rev() {
            let d = self.eval(&deco.expression, frame);
            value = self.apply(d, value, frame, deco.range());
        }
        value
    }

    /// Applies a decorator value to a function (or class) value.
    fn apply(
        &mut self,
        deco: V<'a>,
        value: V<'a>,
        frame: &mut Frame<'a>,
        range: TextRange,
    ) -> V<'a> {
        let file = self.file(frame);
        match deco {
            V::RouteDeco(pending) => {
                let view = self.view_of(&value);
                self.record_route(*pending, view);
                value
            }
            V::HookDeco(target, kind) => {
                self.record_hook(target, kind, &value, Loc { file, range });
                value
            }
            V::Method(recv, name) => {
                match (*recv, name.as_str()) {
                    (V::App(i), n) if HOOKS.contains(&n) => {
                        self.record_hook(Target::App(i), n.to_string(), &value, Loc { file, range })
                    }
                    (V::Bp(i), n) if HOOKS.contains(&n) => {
                        self.record_hook(Target::Bp(i), n.to_string(), &value, Loc { file, range })
                    }
                    (V::App(i), n) if HOOK_FACTORIES.contains(&n) => {
                        self.record_hook(Target::App(i), n.to_string(), &value, Loc { file, range })
                    }
                    (V::Bp(i), n) if HOOK_FACTORIES.contains(&n) => {
                        self.record_hook(Target::Bp(i), n.to_string(), &value, Loc { file, range })
                    }
                    _ => {}
                }
                value
            }
            // Other decorators are assumed to keep the function's name (functools.wraps).
            _ => value,
        }
    }

    fn view_of(&self, value: &V<'a>) -> Option<View> {
        match value {
            V::Func(f) => Some(View {
                name: Text::Known(f.def.name.id.to_string()),
                origin: Some(loc(f.file, &f.def.name)),
                params: Some(params_of(&f.def.parameters)),
                methods: None,
                provide_automatic_options: None,
                class: None,
            }),
            V::ViewFn(v) => Some((**v).clone()),
            _ => None,
        }
    }

    fn scaffold(&mut self, target: Target) -> &mut Scaffold {
        match target {
            Target::App(i) => &mut self.model.apps[i].scaffold,
            Target::Bp(i) => &mut self.model.blueprints[i].scaffold,
        }
    }

    fn record_route(&mut self, p: PendingRoute, view: Option<View>) {
        let unresolved = (self.loop_depth > 0).then(|| "registered inside a loop".to_string());
        let conditional = self.cond_depth > 0;
        if self.main_block {
            return;
        }
        let decl = RouteDecl {
            rule: p.rule,
            endpoint: p.endpoint,
            methods: p.methods,
            view,
            subdomain: p.subdomain,
            host: p.host,
            provide_automatic_options: p.provide_automatic_options,
            defaults: p.defaults,
            via: p.via,
            loc: p.loc,
            unresolved,
            conditional,
        };
        self.scaffold(p.target).routes.push(decl);
    }

    fn record_hook(&mut self, target: Target, kind: String, value: &V<'a>, at: Loc) {
        if self.main_block {
            return;
        }
        let function = match value {
            V::Func(f) => f.def.name.id.to_string(),
            _ => "?".to_string(),
        };
        self.scaffold(target).hooks.push(Hook {
            kind,
            function,
            loc: at,
        });
    }

    // ---------------------------------------------------------------- expressions

    fn eval(&mut self, expr: &'a Expr, frame: &mut Frame<'a>) -> V<'a> {
        // Deeply nested expressions (generated code, fuzzing) must not overflow the stack.
        if self.eval_depth > MAX_EVAL_DEPTH {
            return V::Unknown;
        }
        self.eval_depth += 1;
        let v = self.eval_inner(expr, frame);
        self.eval_depth -= 1;
        v
    }

    fn eval_inner(&mut self, expr: &'a Expr, frame: &mut Frame<'a>) -> V<'a> {
        match expr {
            Expr::StringLiteral(s) => V::Str(s.value.to_str().to_string()),
            Expr::NumberLiteral(n) => match &n.value {
                ast::Number::Int(i) => i.as_i64().map_or(V::Unknown, V::Int),
                _ => V::Unknown,
            },
            Expr::BooleanLiteral(b) => V::Bool(b.value),
            Expr::NoneLiteral(_) => V::NoneV,
            Expr::FString(f) => self.eval_fstring(f, frame),
            Expr::List(l) => V::List(l.elts.iter().map(|e| self.eval(e, frame)).collect()),
            Expr::Tuple(t) => V::List(t.elts.iter().map(|e| self.eval(e, frame)).collect()),
            Expr::Set(s) => V::List(s.elts.iter().map(|e| self.eval(e, frame)).collect()),
            Expr::Name(n) => self.lookup(frame, n.id.as_str()),
            Expr::BinOp(b) if matches!(b.op, ast::Operator::Add) => {
                match (self.eval(&b.left, frame), self.eval(&b.right, frame)) {
                    (V::Str(a), V::Str(c)) => V::Str(a + &c),
                    (V::List(mut a), V::List(c)) => {
                        a.extend(c);
                        V::List(a)
                    }
                    _ => V::Unknown,
                }
            }
            Expr::Attribute(a) => {
                let owner = self.eval(&a.value, frame);
                self.attribute(owner, a.attr.id.as_str())
            }
            Expr::Call(call) => self.eval_call(call, frame),
            Expr::Named(named) => {
                let v = self.eval(&named.value, frame);
                if let Expr::Name(n) = &*named.target {
                    self.bind(frame, n.id.as_str(), v.clone());
                }
                v
            }
            _ => V::Unknown,
        }
    }

    fn eval_fstring(&mut self, f: &'a ast::ExprFString, frame: &mut Frame<'a>) -> V<'a> {
        let mut out = String::new();
        for part in &f.value {
            match part {
                ast::FStringPart::Literal(lit) => out.push_str(&lit.value),
                ast::FStringPart::FString(fs) => {
                    for element in fs.elements.iter() {
                        match element {
                            ast::InterpolatedStringElement::Literal(l) => out.push_str(&l.value),
                            ast::InterpolatedStringElement::Interpolation(i) => {
                                if i.format_spec.is_some() || i.debug_text.is_some() {
                                    return V::Unknown;
                                }
                                match self.eval(&i.expression, frame) {
                                    V::Str(s)
                                        if i.conversion == ast::ConversionFlag::None
                                            || i.conversion == ast::ConversionFlag::Str =>
                                    {
                                        out.push_str(&s)
                                    }
                                    V::Int(n) if i.conversion != ast::ConversionFlag::Ascii => {
                                        out.push_str(&n.to_string())
                                    }
                                    _ => return V::Unknown,
                                }
                            }
                        }
                    }
                }
            }
        }
        V::Str(out)
    }

    fn attribute(&mut self, owner: V<'a>, attr: &str) -> V<'a> {
        match owner {
            V::Module(m) => match self.modules[m].ns.get(attr) {
                Some(v) => v.clone(),
                None => {
                    let name =
                        format!("{}.{attr}", self.project.module_names[self.modules[m].file]);
                    match self.project.module(&name) {
                        Some(file) => {
                            self.run_module(file);
                            V::Module(file)
                        }
                        None => V::Unknown,
                    }
                }
            },
            V::Ext(q) => V::Ext(format!("{q}.{attr}")),
            V::App(_) | V::Bp(_) | V::Class(_) | V::ExtInstance(_) => {
                V::Method(Box::new(owner), attr.to_string())
            }
            _ => V::Unknown,
        }
    }

    fn text(&mut self, expr: Option<&'a Expr>, frame: &mut Frame<'a>) -> Text {
        match expr {
            None => Text::None,
            Some(e) => match self.eval(e, frame) {
                V::Str(s) => Text::Known(s),
                V::NoneV => Text::None,
                _ => Text::Unknown(
                    self.project.files[self.file(frame)]
                        .slice(e.range())
                        .to_string(),
                ),
            },
        }
    }

    fn eval_call(&mut self, call: &'a ast::ExprCall, frame: &mut Frame<'a>) -> V<'a> {
        let func = self.eval(&call.func, frame);
        let file = self.file(frame);
        let at = loc(file, call);
        let args = &call.arguments;
        match func {
            V::Ext(q) => {
                if APP_CLASSES.contains(&q.as_str()) {
                    return self.new_app(
                        q.rsplit('.').next().unwrap_or("Flask").to_string(),
                        call,
                        frame,
                    );
                }
                if BLUEPRINT_CLASSES.contains(&q.as_str()) {
                    return self.new_blueprint(call, frame);
                }
                if matches!(
                    q.as_str(),
                    "importlib.import_module" | "builtins.__import__"
                ) {
                    self.model.unresolved.push(Unresolved {
                        what: "dynamic import: modules loaded this way are not followed".into(),
                        loc: at,
                    });
                    return V::Unknown;
                }
                for a in args.args.iter() {
                    self.eval(a, frame);
                }
                let top = q.split('.').next().unwrap_or("");
                if top.starts_with("flask_") {
                    return V::ExtInstance(q);
                }
                V::Unknown
            }
            V::Method(recv, name) => self.call_method(*recv, &name, call, frame),
            V::Func(f) => {
                let pos: Vec<V<'a>> = args.args.iter().map(|a| self.eval(a, frame)).collect();
                let kw: Vec<(String, V<'a>)> = args
                    .keywords
                    .iter()
                    .filter_map(|k| {
                        let v = self.eval(&k.value, frame);
                        k.arg.as_ref().map(|a| (a.id.to_string(), v))
                    })
                    .collect();
                self.call_function(&f, pos, kw)
            }
            V::Class(c) => {
                if self.class_is(c, APP_CLASSES) {
                    let name = self.classes[c].name.clone();
                    return self.new_app(name, call, frame);
                }
                if self.class_is(c, BLUEPRINT_CLASSES) {
                    return self.new_blueprint(call, frame);
                }
                for a in args.args.iter() {
                    self.eval(a, frame);
                }
                V::Unknown
            }
            V::RouteDeco(_) | V::HookDeco(..) => {
                // `app.route("/x")(view)`
                let Some(first) = args.args.first() else {
                    return V::Unknown;
                };
                let v = self.eval(first, frame);
                self.apply(func, v, frame, call.range())
            }
            _ => {
                for a in args.args.iter() {
                    self.eval(a, frame);
                }
                for k in args.keywords.iter() {
                    self.eval(&k.value, frame);
                }
                V::Unknown
            }
        }
    }

    fn new_app(&mut self, class: String, call: &'a ast::ExprCall, frame: &mut Frame<'a>) -> V<'a> {
        let file = self.file(frame);
        let args = &call.arguments;
        let static_folder = match arg(args, 2, "static_folder") {
            None => Text::Known("static".into()),
            some => self.text(some, frame),
        };
        let static_url_path = self.text(arg(args, 1, "static_url_path"), frame);
        let template_folder = match arg(args, 6, "template_folder") {
            None => Text::Known("templates".into()),
            some => self.text(some, frame),
        };
        self.model.apps.push(App {
            scaffold: Scaffold::new(
                loc(file, call),
                static_folder,
                static_url_path,
                template_folder,
            ),
            class,
            middleware: Vec::new(),
            run_calls: Vec::new(),
            converters: Vec::new(),
            factory: frame.factory.clone(),
        });
        V::App(self.model.apps.len() - 1)
    }

    fn new_blueprint(&mut self, call: &'a ast::ExprCall, frame: &mut Frame<'a>) -> V<'a> {
        let file = self.file(frame);
        let args = &call.arguments;
        let name = self.text(arg(args, 0, "name"), frame);
        let static_folder = self.text(arg(args, 2, "static_folder"), frame);
        let static_url_path = self.text(arg(args, 3, "static_url_path"), frame);
        let template_folder = self.text(arg(args, 4, "template_folder"), frame);
        let url_prefix = self.text(arg(args, 5, "url_prefix"), frame);
        let subdomain = self.text(arg(args, 6, "subdomain"), frame);
        self.model.blueprints.push(Blueprint {
            scaffold: Scaffold::new(
                loc(file, call),
                static_folder,
                static_url_path,
                template_folder,
            ),
            name,
            url_prefix,
            subdomain,
        });
        V::Bp(self.model.blueprints.len() - 1)
    }

    fn methods(&mut self, expr: Option<&'a Expr>, frame: &mut Frame<'a>) -> Methods {
        let Some(e) = expr else {
            return Methods::Default;
        };
        match self.eval(e, frame) {
            V::NoneV => Methods::Default,
            V::Str(s) => Methods::BareString(s),
            V::List(items) if items.iter().all(|i| matches!(i, V::Str(_))) => Methods::Known(
                items
                    .into_iter()
                    .filter_map(|i| match i {
                        V::Str(s) => Some(s),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => Methods::Unknown(
                self.project.files[self.file(frame)]
                    .slice(e.range())
                    .to_string(),
            ),
        }
    }

    fn bool_kw(
        &mut self,
        args: &'a ast::Arguments,
        name: &str,
        frame: &mut Frame<'a>,
    ) -> Option<bool> {
        match arg(args, usize::MAX, name).map(|e| self.eval(e, frame)) {
            Some(V::Bool(b)) => Some(b),
            _ => None,
        }
    }

    fn call_method(
        &mut self,
        recv: V<'a>,
        name: &str,
        call: &'a ast::ExprCall,
        frame: &mut Frame<'a>,
    ) -> V<'a> {
        let file = self.file(frame);
        let at = loc(file, call);
        let args = &call.arguments;
        let target = match recv {
            V::App(i) => Target::App(i),
            V::Bp(i) => Target::Bp(i),
            V::Class(c) if name == "as_view" => {
                let view_name = self.text(arg(args, 0, "name"), frame);
                return V::ViewFn(Box::new(View {
                    name: view_name,
                    origin: Some(at),
                    params: None,
                    methods: self.class_methods(c, 0),
                    provide_automatic_options: self.classes[c].provide_automatic_options,
                    class: Some(self.classes[c].name.clone()),
                }));
            }
            _ => {
                for a in args.args.iter() {
                    self.eval(a, frame);
                }
                return V::Unknown;
            }
        };
        match name {
            "route" | "get" | "post" | "put" | "patch" | "delete" => {
                let rule = self.text(arg(args, 0, "rule"), frame);
                let endpoint = self.text(arg(args, usize::MAX, "endpoint"), frame);
                let methods = if name == "route" {
                    self.methods(arg(args, usize::MAX, "methods"), frame)
                } else if arg(args, usize::MAX, "methods").is_some() {
                    Methods::Unknown(
                        "`methods` passed to a shortcut (Flask raises TypeError)".into(),
                    )
                } else {
                    Methods::Known(vec![name.to_uppercase()])
                };
                let subdomain = self.text(arg(args, usize::MAX, "subdomain"), frame);
                let host = self.text(arg(args, usize::MAX, "host"), frame);
                let provide_automatic_options =
                    self.bool_kw(args, "provide_automatic_options", frame);
                V::RouteDeco(Box::new(PendingRoute {
                    target,
                    rule,
                    endpoint,
                    methods,
                    subdomain,
                    host,
                    provide_automatic_options,
                    defaults: arg(args, usize::MAX, "defaults").is_some(),
                    via: name.to_string(),
                    loc: at,
                }))
            }
            "add_url_rule" => {
                let rule = self.text(arg(args, 0, "rule"), frame);
                let endpoint = self.text(arg(args, 1, "endpoint"), frame);
                let view = match arg(args, 2, "view_func") {
                    Some(e) => {
                        let v = self.eval(e, frame);
                        self.view_of(&v)
                    }
                    None => None,
                };
                let methods = self.methods(arg(args, usize::MAX, "methods"), frame);
                let provide_automatic_options =
                    match arg(args, 3, "provide_automatic_options").map(|e| self.eval(e, frame)) {
                        Some(V::Bool(b)) => Some(b),
                        _ => None,
                    };
                let subdomain = self.text(arg(args, usize::MAX, "subdomain"), frame);
                let host = self.text(arg(args, usize::MAX, "host"), frame);
                self.record_route(
                    PendingRoute {
                        target,
                        rule,
                        endpoint,
                        methods,
                        subdomain,
                        host,
                        provide_automatic_options,
                        defaults: arg(args, usize::MAX, "defaults").is_some(),
                        via: "add_url_rule".into(),
                        loc: at,
                    },
                    view,
                );
                V::NoneV
            }
            "register_blueprint" => {
                let bp = arg(args, 0, "blueprint").map(|e| self.eval(e, frame));
                let url_prefix = self.text(arg(args, usize::MAX, "url_prefix"), frame);
                let subdomain = self.text(arg(args, usize::MAX, "subdomain"), frame);
                let reg_name = self.text(arg(args, usize::MAX, "name"), frame);
                match bp {
                    Some(V::Bp(b)) if !self.main_block => {
                        let reg = Registration {
                            blueprint: b,
                            url_prefix,
                            subdomain,
                            name: reg_name,
                            loc: at,
                            unresolved: (self.loop_depth > 0)
                                .then(|| "registered inside a loop".to_string()),
                            conditional: self.cond_depth > 0,
                        };
                        self.scaffold(target).registrations.push(reg);
                    }
                    Some(V::Bp(_)) => {}
                    _ => self.model.unresolved.push(Unresolved {
                        what: "a blueprint registered here could not be followed to its definition"
                            .into(),
                        loc: at,
                    }),
                }
                V::NoneV
            }
            "register_error_handler" => {
                let v = arg(args, 1, "f")
                    .map(|e| self.eval(e, frame))
                    .unwrap_or(V::Unknown);
                self.record_hook(target, "errorhandler".into(), &v, at);
                V::NoneV
            }
            "run" => {
                if let Target::App(i) = target {
                    let options = args
                        .keywords
                        .iter()
                        .filter_map(|k| k.arg.as_ref().map(|a| (a.id.to_string(), k.range())))
                        .collect();
                    self.model.apps[i]
                        .run_calls
                        .push(RunCall { options, loc: at });
                }
                V::NoneV
            }
            n if HOOKS.contains(&n) => match args.args.first() {
                Some(e) => {
                    let v = self.eval(e, frame);
                    self.record_hook(target, n.to_string(), &v, at);
                    v
                }
                None => V::HookDeco(target, n.to_string()),
            },
            n if HOOK_FACTORIES.contains(&n) => V::HookDeco(target, n.to_string()),
            _ => {
                for a in args.args.iter() {
                    self.eval(a, frame);
                }
                V::Unknown
            }
        }
    }

    fn call_function(
        &mut self,
        f: &Rc<FuncVal<'a>>,
        pos: Vec<V<'a>>,
        kw: Vec<(String, V<'a>)>,
    ) -> V<'a> {
        let key = (f.file, f.def.range.start().to_u32());
        self.called.insert(key);
        if self.call_depth >= MAX_CALL_DEPTH || self.active.contains(&key) {
            return V::Unknown;
        }
        let p = &f.def.parameters;
        let mut locals: HashMap<String, V<'a>> = HashMap::new();
        let mut pos = pos.into_iter();
        let mut kw: HashMap<String, V<'a>> = kw.into_iter().collect();
        for param in p.posonlyargs.iter().chain(p.args.iter()) {
            let name = param.parameter.name.id.to_string();
            let v = pos
                .next()
                .or_else(|| kw.remove(&name))
                .unwrap_or(V::Unknown);
            locals.insert(name, v);
        }
        for param in p.kwonlyargs.iter() {
            let name = param.parameter.name.id.to_string();
            let v = kw.remove(&name).unwrap_or(V::Unknown);
            locals.insert(name, v);
        }
        if let Some(va) = &p.vararg {
            locals.insert(va.name.id.to_string(), V::Unknown);
        }
        if let Some(ka) = &p.kwarg {
            locals.insert(ka.name.id.to_string(), V::Unknown);
        }
        let mut frame = Frame {
            module: f.module,
            locals: Some(locals),
            closure: f.closure.clone(),
            ret: None,
            factory: Some(f.def.name.id.to_string()),
        };
        self.call_depth += 1;
        self.active.push(key);
        let saved = (self.loop_depth, self.cond_depth);
        let body: &'a [Stmt] = &f.def.body;
        self.exec_body(body, &mut frame);
        (self.loop_depth, self.cond_depth) = saved;
        self.active.pop();
        self.call_depth -= 1;
        frame.ret.unwrap_or(V::NoneV)
    }
}

/// An argument by position or keyword (`usize::MAX`: keyword only).
fn arg<'e>(args: &'e ast::Arguments, pos: usize, name: &str) -> Option<&'e Expr> {
    if let Some(k) = args
        .keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == name))
    {
        return Some(&k.value);
    }
    if args.args.iter().any(|a| matches!(a, Expr::Starred(_))) {
        return None;
    }
    args.args.get(pos)
}

fn params_of(p: &ast::Parameters) -> Params {
    let mut names = Vec::new();
    let mut required = Vec::new();
    for param in p
        .posonlyargs
        .iter()
        .chain(p.args.iter())
        .chain(p.kwonlyargs.iter())
    {
        let name = param.parameter.name.id.to_string();
        if param.default.is_none() {
            required.push(name.clone());
        }
        names.push(name);
    }
    Params {
        names,
        required,
        var_keyword: p.kwarg.is_some(),
    }
}

fn join_module(base: &str, module: &str) -> String {
    match (base.is_empty(), module.is_empty()) {
        (true, _) => module.to_string(),
        (_, true) => base.to_string(),
        _ => format!("{base}.{module}"),
    }
}

fn is_main_guard(test: &Expr) -> bool {
    if let Expr::Compare(cmp) = test {
        let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == "__name__");
        let is_main =
            |e: &Expr| matches!(e, Expr::StringLiteral(s) if s.value.to_str() == "__main__");
        if let Some(right) = cmp.comparators.first() {
            return (is_name(&cmp.left) && is_main(right))
                || (is_main(&cmp.left) && is_name(right));
        }
    }
    false
}

/// The first statement in a function body that registers routes or blueprints (syntactically).
fn first_registration(body: &[Stmt]) -> Option<TextRange> {
    const NAMES: &[&str] = &[
        "route",
        "add_url_rule",
        "register_blueprint",
        "get",
        "post",
        "put",
        "patch",
        "delete",
    ];
    let is_reg = |e: &Expr| -> bool {
        if let Expr::Call(c) = e {
            if let Expr::Attribute(a) = &*c.func {
                let n = a.attr.id.as_str();
                return NAMES.contains(&n)
                    && (n != "get" || c.arguments.args.first().is_some_and(|x| {
                        matches!(x, Expr::StringLiteral(s) if s.value.to_str().starts_with('/'))
                    }));
            }
        }
        false
    };
    for stmt in body {
        match stmt {
            Stmt::FunctionDef(def) => {
                if let Some(d) = def.decorator_list.iter().find(|d| is_reg(&d.expression)) {
                    return Some(d.range());
                }
            }
            Stmt::Expr(e) if is_reg(&e.value) => return Some(e.range()),
            Stmt::For(f) => {
                if let Some(r) = first_registration(&f.body) {
                    return Some(r);
                }
            }
            Stmt::If(i) => {
                if let Some(r) = first_registration(&i.body) {
                    return Some(r);
                }
            }
            _ => {}
        }
    }
    None
}
