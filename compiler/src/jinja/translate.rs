//! Jinja statements → askama nodes, one template at a time (checks across templates are in
//! [`super::translate_set`]).

use std::collections::{BTreeSet, HashSet};

use minijinja::machinery::ast::{self, CallArg, Expr, Stmt};
use minijinja::machinery::Span;
use minijinja::value::ValueKind;

use super::expr::MacroRef;
use super::names::rs_str;
use super::scope::{Binding, Frame, Info, MacroInfo, Require};
use super::Unsupported;

/// Opens a Rust block scope in askama, which has no bare scope tag. The condition must be a call:
/// askama folds a literal `{% if true %}` away and writes its body without braces, so `let`s
/// inside would shadow the ones outside for the rest of the template.
const SCOPE: &str = "{% if t::Value::bool(true).truthy() %}";

pub struct Tr<'s> {
    pub src: &'s str,
    /// The template's Jinja name.
    name: &'s str,
    /// Templates of the set (`None`: judging one template alone, others assumed to exist).
    pub known: Option<&'s HashSet<String>>,
    pub out: String,
    pub errors: Vec<Unsupported>,
    pub frames: Vec<Frame>,
    /// askama locals read, in order (checkpointed to know what a sub-expression or body read).
    pub used: Vec<String>,
    pub info: Info,
    /// Values (not macros or imports) the template assigns at its top level.
    pub top_values: HashSet<String>,
    /// The macro being translated.
    pub macro_info: Option<MacroInfo>,
    pub(super) macro_name: Option<String>,
    pub(super) in_block: bool,
    /// `Some` inside `{% autoescape %}`.
    pub(super) autoescape: Option<bool>,
    default_autoescape: bool,
    pub(super) loop_depth: usize,
    counter: usize,
    /// Inside the body of a call block (askama expands it inside the called macro).
    pub(super) call_bodies: usize,
}

impl<'s> Tr<'s> {
    pub fn new(
        name: &'s str,
        src: &'s str,
        known: Option<&'s HashSet<String>>,
        autoescape: bool,
    ) -> Self {
        Tr {
            name,
            src,
            known,
            out: String::new(),
            errors: Vec::new(),
            frames: vec![Frame::new(false)],
            used: Vec::new(),
            info: Info::default(),
            top_values: HashSet::new(),
            macro_info: None,
            macro_name: None,
            in_block: false,
            autoescape: None,
            default_autoescape: autoescape,
            loop_depth: 0,
            counter: 0,
            call_bodies: 0,
        }
    }

    /// Records an unsupported construct; returns a placeholder expression.
    pub fn unsupported(&mut self, at: Span, construct: String) -> String {
        self.errors.push(Unsupported {
            line: at.start_line as usize,
            column: at.start_col as usize + 1,
            construct,
        });
        "t::Value::none()".into()
    }

    pub fn macro_name(&self) -> Option<&str> {
        self.macro_name.as_deref()
    }

    pub(super) fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{}", self.counter)
    }

    pub(super) fn bind(&mut self, id: &str, b: Binding, at: Span) {
        if let (Binding::Local(a), Some(m)) = (&b, self.macro_info.as_mut()) {
            m.bound.insert(a.clone());
        }
        let frame = self
            .frames
            .last_mut()
            .expect("the root frame is never popped");
        frame.vars.insert(id.to_string(), b);
        frame.assigned.push((id.to_string(), at));
    }

    pub(super) fn push(&mut self, barrier: bool) {
        self.frames.push(Frame::new(barrier));
    }

    /// Leaves a frame; `soft` (an `if` branch): what it assigned is `Lost` in the parent.
    pub(super) fn pop(&mut self, soft: bool) {
        let frame = self.frames.pop().expect("push/pop pair");
        if soft {
            for (id, at) in frame.assigned {
                self.bind(&id, Binding::Lost(at), at);
            }
        }
    }

    pub(super) fn top_level(&self) -> bool {
        self.frames.len() == 1 && !self.in_block && self.macro_info.is_none()
    }

    /// Template text. A `{` that askama could read as the start of a tag (before `{`, `%`, `#`,
    /// or last, since a tag follows) is written as an expression.
    pub fn text(&mut self, s: &str) {
        let bytes = s.as_bytes();
        for (i, c) in s.char_indices() {
            let next = bytes.get(i + 1);
            if c == '{' && matches!(next, None | Some(b'{' | b'%' | b'#')) {
                self.out.push_str("{{ \"{\" }}");
            } else {
                self.out.push(c);
            }
        }
    }

    fn output(&mut self, v: &str) {
        let w = match self.autoescape {
            None => format!("ctx.out({v})"),
            Some(true) => format!("t::escaped({v})"),
            Some(false) => format!("t::unescaped({v})"),
        };
        self.out.push_str(&format!("{{{{ {w} }}}}"));
    }

    pub fn template(&mut self, root: &Stmt<'_>) {
        let Stmt::Template(t) = root else { return };
        self.collect_top(&t.children);
        let child = t.children.iter().any(|s| matches!(s, Stmt::Extends(_)));
        let mut seen_extends = false;
        for s in &t.children {
            if !child {
                self.stmt(s);
                continue;
            }
            // A child template: before `extends` Jinja writes output; after it, only blocks,
            // macros and imports matter (other top-level code is not even evaluated, except
            // assignments, which reach the blocks through the context: see `translate_set`).
            match s {
                Stmt::Extends(_) => {
                    seen_extends = true;
                    self.stmt(s);
                }
                Stmt::EmitRaw(r) if r.raw.is_empty() => {}
                Stmt::Block(_) | Stmt::Macro(_) | Stmt::Import(_) | Stmt::FromImport(_) => {
                    self.stmt(s)
                }
                Stmt::EmitRaw(_) | Stmt::EmitExpr(_) | Stmt::Set(_) | Stmt::SetBlock(_)
                    if seen_extends => {}
                _ if seen_extends && !contains_block(s) => {}
                _ => {
                    self.unsupported(
                        stmt_span(s),
                        "output or code around `extends` in a child template".into(),
                    );
                }
            }
        }
    }

    /// Names assigned at the top level (Jinja: also inside top-level `if`s).
    fn collect_top(&mut self, body: &[Stmt<'_>]) {
        for s in body {
            match s {
                Stmt::Set(x) => target_names(&x.target, &mut |n| {
                    self.top_values.insert(n.to_string());
                }),
                Stmt::SetBlock(x) => target_names(&x.target, &mut |n| {
                    self.top_values.insert(n.to_string());
                }),
                Stmt::IfCond(i) => {
                    self.collect_top(&i.true_body);
                    self.collect_top(&i.false_body);
                }
                Stmt::Macro(m) => {
                    self.info.top_names.insert(m.name.to_string());
                }
                Stmt::Import(i) => target_names(&i.name, &mut |n| {
                    self.info.top_names.insert(n.to_string());
                }),
                Stmt::FromImport(f) => {
                    for (name, alias) in &f.names {
                        target_names(alias.as_ref().unwrap_or(name), &mut |n| {
                            self.info.top_names.insert(n.to_string());
                        });
                    }
                }
                _ => {}
            }
        }
        self.info.top_names.extend(self.top_values.iter().cloned());
    }

    pub(super) fn stmts(&mut self, body: &[Stmt<'_>]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt<'_>) {
        match s {
            Stmt::Template(_) => {}
            Stmt::EmitRaw(r) => self.text(r.raw),
            Stmt::EmitExpr(e) => self.emit(&e.expr, e.span()),
            Stmt::ForLoop(f) => self.for_loop(f, f.span()),
            Stmt::IfCond(i) => {
                let c = self.cond(&i.expr);
                self.out.push_str(&format!("{{% if {c} %}}"));
                self.branch(&i.true_body);
                if !i.false_body.is_empty() {
                    self.out.push_str("{% else %}");
                    self.branch(&i.false_body);
                }
                self.out.push_str("{% endif %}");
            }
            Stmt::WithBlock(w) => {
                let mut values = Vec::new();
                for (target, value) in &w.assignments {
                    let mark = self.used.len();
                    let v = self.val(value);
                    values.push((target, v, self.used[mark..].to_vec()));
                }
                self.out.push_str(SCOPE);
                self.push(false);
                let mut bound: Vec<String> = Vec::new();
                for (target, v, reads) in values {
                    let Expr::Var(t) = target else {
                        self.unsupported(w.span(), "`with` unpacking".into());
                        continue;
                    };
                    if reads.iter().any(|r| bound.contains(r)) {
                        self.unsupported(
                            w.span(),
                            "a `with` value reading a name an earlier target rebinds".into(),
                        );
                    }
                    let a = format!("j_{}", t.id);
                    self.out.push_str(&format!("{{% let {a} = {v} %}}"));
                    bound.push(a.clone());
                    self.bind(t.id, Binding::Local(a), t.span());
                }
                self.stmts(&w.body);
                self.pop(false);
                self.out.push_str("{% endif %}");
            }
            Stmt::Set(x) => self.set(&x.target, &x.expr, x.span()),
            Stmt::SetBlock(x) => {
                let cap = self.capture(&x.body);
                let v = match &x.filter {
                    Some(f) => self.filter_chain(f, &cap),
                    None => cap,
                };
                self.assign(&x.target, v, x.span());
            }
            Stmt::AutoEscape(a) => {
                let on = match &a.enabled {
                    Expr::Const(c) if c.value.kind() == ValueKind::Bool => c.value.is_true(),
                    _ => {
                        self.unsupported(a.span(), "`autoescape` with a computed value".into());
                        true
                    }
                };
                let saved = self.autoescape.replace(on);
                self.out.push_str(SCOPE);
                self.push(false);
                self.stmts(&a.body);
                self.pop(false);
                self.out.push_str("{% endif %}");
                self.autoescape = saved;
            }
            Stmt::FilterBlock(f) => {
                let cap = self.capture(&f.body);
                let v = self.filter_chain(&f.filter, &cap);
                // Jinja writes a filter block's result as it is, never escaped (the compiler's
                // `visit_FilterBlock` has no `escape()`), so `{% filter title %}` of escaped text
                // (a plain `str` after `title`) is not escaped twice.
                self.out.push_str(&format!("{{{{ t::unescaped(&{v}) }}}}"));
            }
            Stmt::Block(b) => self.block(b, b.span()),
            Stmt::Extends(e) => {
                if !self.top_level() || self.info.extends.is_some() {
                    self.unsupported(e.span(), "a conditional or repeated `extends`".into());
                    return;
                }
                let Some(name) = self.template_name(&e.name, "extends") else {
                    return;
                };
                self.out
                    .push_str(&format!("{{% extends {} %}}", rs_str(&name)));
                self.info.extends = Some(name.clone());
                self.require_known(&name, e.span());
                self.info.requires.push(Require::Extends {
                    target: name,
                    at: e.span(),
                });
            }
            Stmt::Include(i) => self.include(i, i.span()),
            Stmt::Import(i) => {
                let Some(name) = self.import_target(&i.expr, i.span()) else {
                    return;
                };
                let Expr::Var(alias) = &i.name else { return };
                let scope = format!("j_{}", alias.id);
                self.out
                    .push_str(&format!("{{% import {} as {scope} %}}", rs_str(&name)));
                self.push_import(&name, i.span());
                self.bind(
                    alias.id,
                    Binding::Module {
                        scope,
                        target: name,
                    },
                    i.span(),
                );
            }
            Stmt::FromImport(f) => {
                let Some(name) = self.import_target(&f.expr, f.span()) else {
                    return;
                };
                let scope = self.fresh("jfrom");
                self.out
                    .push_str(&format!("{{% import {} as {scope} %}}", rs_str(&name)));
                self.push_import(&name, f.span());
                for (m, alias) in &f.names {
                    let (Expr::Var(m), Expr::Var(a)) = (m, alias.as_ref().unwrap_or(m)) else {
                        continue;
                    };
                    self.bind(
                        a.id,
                        Binding::FromMacro {
                            scope: scope.clone(),
                            target: name.clone(),
                            name: m.id.to_string(),
                        },
                        f.span(),
                    );
                }
            }
            Stmt::Macro(m) => self.macro_def(m, m.span()),
            Stmt::CallBlock(c) => self.call_block(c, c.span()),
            Stmt::Do(d) => {
                self.unsupported(d.span(), "`{% do %}` (a Jinja extension)".into());
            }
        }
    }

    /// An `if` branch: a Rust block in askama, not a scope in Jinja.
    fn branch(&mut self, body: &[Stmt<'_>]) {
        self.push(false);
        self.stmts(body);
        self.pop(true);
    }

    fn emit(&mut self, e: &Expr<'_>, at: Span) {
        if let Expr::Call(c) = e {
            if let Expr::Var(v) = &c.expr {
                if v.id == "super" && self.peek("super").is_none() {
                    if self.in_block && self.macro_info.is_none() && c.args.is_empty() {
                        self.out.push_str("{{ super() }}");
                    } else {
                        self.unsupported(at, "`super()` outside a block or with arguments".into());
                    }
                    return;
                }
            }
            if let Some(m) = self.macro_target(&c.expr) {
                if self.autoescape.is_some() {
                    self.unsupported(at, "a macro call inside `{% autoescape %}`".into());
                }
                let args = self.macro_args(&c.args, at);
                match m {
                    MacroRef::Caller if self.call_bodies > 0 => {
                        self.unsupported(at, "`caller()` inside a call block's body".into());
                    }
                    MacroRef::Caller => {
                        let info = self.macro_info.as_mut().expect("caller is bound in macros");
                        info.uses_caller = true;
                        info.caller_arities.insert(c.args.len());
                        if c.args.iter().any(|a| !matches!(a, CallArg::Pos(_))) {
                            self.unsupported(at, "`caller()` with keyword arguments".into());
                        }
                        self.out
                            .push_str(&format!("{{{{ caller({}) }}}}", args.join(", ")));
                    }
                    other => {
                        let path = self.macro_path(other, &c.args, None, at);
                        self.out.push_str(&format!(
                            "{{% call {path}({}) %}}{{% endcall %}}",
                            args.join(", ")
                        ));
                    }
                }
                return;
            }
        }
        let v = self.borrow(e);
        self.output(&v);
    }

    fn for_loop(&mut self, f: &ast::ForLoop<'_>, at: Span) {
        if f.recursive {
            self.unsupported(at, "a recursive `for` loop".into());
        }
        if f.filter_expr.is_some() && !f.else_body.is_empty() {
            self.unsupported(at, "`for … if …` with an `else`".into());
        }
        let seq = self.borrow(&f.iter);
        let jloop = match self.loop_depth {
            0 => "jloop".to_string(),
            n => format!("jloop{n}"),
        };
        self.loop_depth += 1;
        self.push(false);
        let item = match &f.target {
            Expr::Var(v) => format!("j_{}", v.id),
            _ => self.fresh("jitem"),
        };
        self.out.push_str(&format!(
            "{{% for ({jloop}, {item}) in t::iterate({seq}) %}}"
        ));
        match &f.target {
            Expr::Var(v) => self.bind(v.id, Binding::Local(item.clone()), v.span()),
            target => self.unpack(target, &item, at),
        }
        self.bind("loop", Binding::Local(jloop.clone()), at);
        let mark = self.used.len();
        if let Some(filter) = &f.filter_expr {
            // The filter runs before `loop` counts items; without `loop` in the body, skipping
            // items inside the loop is the same.
            let c = self.cond(filter);
            self.out.push_str(&format!("{{% if {c} %}}"));
            self.stmts(&f.body);
            self.out.push_str("{% endif %}");
            if self.used[mark..].contains(&jloop) {
                self.unsupported(at, "`for … if …` whose body uses `loop`".into());
            }
        } else {
            self.stmts(&f.body);
        }
        self.pop(false);
        self.loop_depth -= 1;
        if !f.else_body.is_empty() {
            self.out.push_str("{% else %}");
            self.push(false);
            self.stmts(&f.else_body);
            self.pop(false);
        }
        self.out.push_str("{% endfor %}");
    }

    /// `for a, b in …` / `set a, b = …`: `let`s of the items of `from` (an askama local).
    fn unpack(&mut self, target: &Expr<'_>, from: &str, at: Span) {
        match target {
            Expr::Var(v) => {
                let a = format!("j_{}", v.id);
                self.out
                    .push_str(&format!("{{% let {a} = {from}.clone() %}}"));
                self.bind(v.id, Binding::Local(a), v.span());
            }
            Expr::Tuple(_) | Expr::List(_) => {
                for (i, item) in target_items(target).iter().enumerate() {
                    match item {
                        Expr::Var(v) => {
                            let a = format!("j_{}", v.id);
                            self.out.push_str(&format!(
                                "{{% let {a} = {from}.item(&t::Value::int({i})) %}}"
                            ));
                            self.bind(v.id, Binding::Local(a), v.span());
                        }
                        nested => {
                            let tmp = self.fresh("jitem");
                            self.out.push_str(&format!(
                                "{{% let {tmp} = {from}.item(&t::Value::int({i})) %}}"
                            ));
                            self.unpack(nested, &tmp, at);
                        }
                    }
                }
            }
            _ => {
                self.unsupported(
                    at,
                    "an assignment to an attribute or item (namespace)".into(),
                );
            }
        }
    }

    fn set(&mut self, target: &Expr<'_>, value: &Expr<'_>, at: Span) {
        let v = self.val(value);
        self.assign(target, v, at);
    }

    fn assign(&mut self, target: &Expr<'_>, v: String, at: Span) {
        match target {
            Expr::Var(t) => {
                let a = format!("j_{}", t.id);
                self.out.push_str(&format!("{{% let {a} = {v} %}}"));
                self.bind(t.id, Binding::Local(a), t.span());
            }
            Expr::Tuple(_) | Expr::List(_) => {
                let tmp = self.fresh("jset");
                self.out.push_str(&format!("{{% let {tmp} = {v} %}}"));
                self.unpack(target, &tmp, at);
            }
            _ => {
                self.unsupported(
                    at,
                    "an assignment to an attribute or item (namespace)".into(),
                );
            }
        }
    }

    /// Renders `body` into an askama block `let`; returns the `t::Value` of what it wrote
    /// (Markup when autoescaping, as Jinja's captures).
    fn capture(&mut self, body: &[Stmt<'_>]) -> String {
        let cap = self.fresh("jcap");
        self.out.push_str(&format!("{{% let {cap} %}}"));
        self.push(false);
        self.stmts(body);
        self.pop(false);
        self.out.push_str("{% endlet %}");
        let kind = if self.autoescape.unwrap_or(self.default_autoescape) {
            "Markup"
        } else {
            "Str"
        };
        format!("t::Value::{kind}({cap}.as_str().into())")
    }

    /// A filter chain of a `filter` block or block `set`, applied to the value `hole`.
    fn filter_chain(&mut self, f: &Expr<'_>, hole: &str) -> String {
        match f {
            Expr::Filter(x) => {
                let inner = match &x.expr {
                    Some(e) => self.filter_chain(e, hole),
                    None => hole.to_string(),
                };
                self.filter_call(x.name, &format!("&{inner}"), &x.args, x.span())
            }
            other => self.unsupported(other.span(), "a filter section that is not a filter".into()),
        }
    }

    fn block(&mut self, b: &ast::Block<'_>, at: Span) {
        let tag = self.tag_text(at);
        if tag.split_whitespace().any(|w| w == "scoped") {
            self.unsupported(
                at,
                "a `scoped` block (askama blocks see no loop locals)".into(),
            );
        }
        if b.required {
            self.unsupported(at, "a `required` block".into());
        }
        self.info.has_blocks = true;
        let saved = std::mem::replace(&mut self.in_block, true);
        self.out.push_str(&format!("{{% block j_{} %}}", b.name));
        self.push(true);
        self.stmts(&b.body);
        self.pop(false);
        self.out.push_str("{% endblock %}");
        self.in_block = saved;
    }

    fn include(&mut self, i: &ast::Include<'_>, at: Span) {
        let Some(name) = self.template_name(&i.name, "include") else {
            return;
        };
        if self.tag_text(at).contains("without context") {
            self.unsupported(at, "`include … without context`".into());
        }
        if self.autoescape.is_some() {
            self.unsupported(at, "an `include` inside `{% autoescape %}`".into());
        }
        if name == self.name {
            self.unsupported(at, "a template including itself".into());
        }
        let exists = self.known.is_none_or(|k| k.contains(&name));
        if !exists {
            if !i.ignore_missing {
                self.unsupported(at, format!("`include` of \"{name}\", which does not exist"));
            }
            return;
        }
        let mut locals: BTreeSet<String> = self.top_values.iter().cloned().collect();
        locals.extend(self.info.top_names.iter().cloned());
        for f in &self.frames {
            locals.extend(f.vars.keys().cloned());
        }
        // The bare scope keeps the included template's `let`s from shadowing ours.
        self.out.push_str(&format!(
            "{SCOPE}{{% include {} %}}{{% endif %}}",
            rs_str(&name)
        ));
        self.info.requires.push(Require::Include {
            target: name,
            at,
            locals,
        });
    }

    fn import_target(&mut self, e: &Expr<'_>, at: Span) -> Option<String> {
        if !self.top_level() {
            self.unsupported(at, "an import that is not at the top level".into());
            return None;
        }
        let name = self.template_name(e, "import")?;
        self.require_known(&name, at).then_some(name)
    }

    fn push_import(&mut self, name: &str, at: Span) {
        let with_context = self.tag_text(at).contains("with context");
        self.info.requires.push(Require::Import {
            target: name.to_string(),
            at,
            with_context,
        });
    }

    fn require_known(&mut self, name: &str, at: Span) -> bool {
        if self.known.is_some_and(|k| !k.contains(name)) {
            self.unsupported(at, format!("\"{name}\" does not exist"));
            return false;
        }
        true
    }

    fn template_name(&mut self, e: &Expr<'_>, what: &str) -> Option<String> {
        match e {
            Expr::Const(c) if c.value.kind() == ValueKind::String => {
                c.value.as_str().map(str::to_string)
            }
            other => {
                self.unsupported(
                    other.span(),
                    format!("`{{% {what} %}}` with a computed template name"),
                );
                None
            }
        }
    }

    /// The source of a tag (from its span's start to the end of the tag's first line).
    fn tag_text(&self, at: Span) -> &'s str {
        let start = (at.start_offset as usize).min(self.src.len());
        let rest = self.src.get(start..).unwrap_or("");
        let end = rest.find("%}").unwrap_or(rest.len());
        &rest[..end]
    }
}

/// Names an assignment target binds.
fn target_names<'a>(e: &Expr<'a>, f: &mut dyn FnMut(&'a str)) {
    match e {
        Expr::Var(v) => f(v.id),
        Expr::Tuple(_) | Expr::List(_) => {
            for i in target_items(e) {
                target_names(i, f);
            }
        }
        _ => {}
    }
}

/// The items of an unpacking target (minijinja parses `a, b` as a list).
fn target_items<'b, 'a>(e: &'b Expr<'a>) -> &'b [Expr<'a>] {
    match e {
        Expr::Tuple(t) => &t.items,
        Expr::List(l) => &l.items,
        _ => &[],
    }
}

fn contains_block(s: &Stmt<'_>) -> bool {
    let any = |b: &[Stmt<'_>]| b.iter().any(contains_block);
    match s {
        Stmt::Block(_) => true,
        Stmt::ForLoop(f) => any(&f.body) || any(&f.else_body),
        Stmt::IfCond(i) => any(&i.true_body) || any(&i.false_body),
        Stmt::WithBlock(w) => any(&w.body),
        Stmt::AutoEscape(a) => any(&a.body),
        Stmt::FilterBlock(f) => any(&f.body),
        Stmt::SetBlock(x) => any(&x.body),
        _ => false,
    }
}

pub fn stmt_span(s: &Stmt<'_>) -> Span {
    match s {
        Stmt::Template(x) => x.span(),
        Stmt::EmitExpr(x) => x.span(),
        Stmt::EmitRaw(x) => x.span(),
        Stmt::ForLoop(x) => x.span(),
        Stmt::IfCond(x) => x.span(),
        Stmt::WithBlock(x) => x.span(),
        Stmt::Set(x) => x.span(),
        Stmt::SetBlock(x) => x.span(),
        Stmt::AutoEscape(x) => x.span(),
        Stmt::FilterBlock(x) => x.span(),
        Stmt::Block(x) => x.span(),
        Stmt::Import(x) => x.span(),
        Stmt::FromImport(x) => x.span(),
        Stmt::Extends(x) => x.span(),
        Stmt::Include(x) => x.span(),
        Stmt::Macro(x) => x.span(),
        Stmt::CallBlock(x) => x.span(),
        Stmt::Do(x) => x.span(),
    }
}
