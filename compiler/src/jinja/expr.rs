//! Jinja expressions → askama expressions over the run-time contract (`t::Value`, `t::ops`, …).
//!
//! Three shapes: [`Tr::val`] gives an owned `t::Value`, [`Tr::val_ref`] something to borrow (`&`
//! in front of a local avoids a clone), [`Tr::cond`] a Rust `bool` for `if` (askama's `&&`/`||`/`!`
//! short-circuit like Jinja's `and`/`or`/`not`).

use minijinja::machinery::ast::{self, BinOpKind, CallArg, CompareOpKind, Expr, UnaryOpKind};
use minijinja::machinery::Span;
use minijinja::value::ValueKind;

use super::names::{native, rs_str, NATIVE_FILTERS, NATIVE_TESTS};
use super::scope::Binding;
use super::translate::Tr;

/// What a name resolves to, for an expression.
pub enum Name {
    Local(String),
    Ctx,
    Other,
}

const NONE: &str = "t::Value::none()";

impl Tr<'_> {
    /// Resolves a Jinja name, reporting reads Jinja and askama would answer differently.
    pub fn resolve(&mut self, id: &str, span: Span) -> Name {
        let mut crossed = false;
        let mut found = None;
        for frame in self.frames.iter().rev() {
            if let Some(b) = frame.vars.get(id) {
                match b {
                    Binding::Local(_) | Binding::Lost(_) | Binding::Caller if crossed => {}
                    _ => {
                        found = Some(b.clone());
                        break;
                    }
                }
            }
            crossed |= frame.barrier;
        }
        match found {
            Some(Binding::Local(a)) => {
                self.used.push(a.clone());
                Name::Local(a)
            }
            Some(Binding::Lost(at)) => {
                self.unsupported(
                    span,
                    format!(
                        "`{id}` is read after the `if` that sets it (line {}): askama scopes \
                         the assignment to the branch",
                        at.start_line
                    ),
                );
                Name::Local(NONE.into())
            }
            Some(_) => Name::Other,
            None => {
                if crossed && self.top_values.contains(id) {
                    let what = if self.macro_info.is_some() {
                        "a macro"
                    } else {
                        "a block"
                    };
                    self.unsupported(
                        span,
                        format!(
                            "{what} reads `{id}`, which the template sets at its top level \
                             (Jinja shares it through the context)"
                        ),
                    );
                }
                if self.macro_info.is_some() && matches!(id, "varargs" | "kwargs") {
                    self.unsupported(span, format!("`{id}` in a macro"));
                }
                if self.macro_name() == Some(id) {
                    self.unsupported(span, format!("a recursive macro (`{id}` calls itself)"));
                }
                if id == "self" {
                    self.unsupported(span, "`self` (block references)".into());
                }
                self.info.free.insert(id.to_string());
                if let Some(m) = self.macro_info.as_mut() {
                    m.free.insert(id.to_string());
                }
                Name::Ctx
            }
        }
    }

    /// An owned `t::Value`.
    pub fn val(&mut self, e: &Expr<'_>) -> String {
        let r = self.val_ref(e);
        if self.is_local(&r) {
            format!("{r}.clone()")
        } else {
            r
        }
    }

    fn is_local(&self, s: &str) -> bool {
        s.starts_with("j") && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    }

    /// `&` + this is a `&t::Value`.
    pub fn borrow(&mut self, e: &Expr<'_>) -> String {
        format!("&{}", self.val_ref(e))
    }

    /// A value expression, or a local's name (borrow it, clone it, or call methods on it).
    pub fn val_ref(&mut self, e: &Expr<'_>) -> String {
        match e {
            Expr::Var(v) => match self.resolve(v.id, v.span()) {
                Name::Local(a) => a,
                Name::Ctx => format!("ctx.get({})", rs_str(v.id)),
                Name::Other => self.unsupported(
                    v.span(),
                    format!("macro or import `{}` used as a value", v.id),
                ),
            },
            Expr::Const(c) => self.constant(&c.value, c.span()),
            Expr::Slice(s) => {
                let base = self.val_ref(&s.expr);
                let mut part = |p: &Option<Expr<'_>>| match p {
                    Some(p) => self.borrow(p),
                    None => format!("&{NONE}"),
                };
                let (a, b, c) = (part(&s.start), part(&s.stop), part(&s.step));
                format!("{base}.slice({a}, {b}, {c})")
            }
            Expr::UnaryOp(u) => match u.op {
                UnaryOpKind::Not => format!("t::ops::not({})", self.borrow(&u.expr)),
                UnaryOpKind::Neg => {
                    if let Expr::Const(c) = &u.expr {
                        if let Some(lit) = negated_literal(&c.value) {
                            return lit;
                        }
                    }
                    format!("t::ops::neg({})", self.borrow(&u.expr))
                }
            },
            Expr::BinOp(b) => {
                let op = match b.op {
                    BinOpKind::Eq => "eq",
                    BinOpKind::Ne => "ne",
                    BinOpKind::Lt => "lt",
                    BinOpKind::Lte => "le",
                    BinOpKind::Gt => "gt",
                    BinOpKind::Gte => "ge",
                    BinOpKind::ScAnd => "and",
                    BinOpKind::ScOr => "or",
                    BinOpKind::Add => "add",
                    BinOpKind::Sub => "sub",
                    BinOpKind::Mul => "mul",
                    BinOpKind::Div => "div",
                    BinOpKind::FloorDiv => "floordiv",
                    BinOpKind::Rem => "rem",
                    BinOpKind::Pow => "pow",
                    BinOpKind::Concat => "concat",
                    BinOpKind::In => "contains",
                };
                let (l, r) = (self.borrow(&b.left), self.borrow(&b.right));
                format!("t::ops::{op}({l}, {r})")
            }
            Expr::Compare(c) => {
                if c.ops.len() == 1 {
                    let l = self.borrow(&c.expr);
                    let r = self.borrow(&c.ops[0].expr);
                    compare(c.ops[0].op, &l, &r)
                } else {
                    format!("t::Value::bool({})", cond_arg(self.cond(e)))
                }
            }
            Expr::IfExpr(i) => {
                let c = cond_arg(self.cond(&i.test_expr));
                let a = self.val(&i.true_expr);
                let b = match &i.false_expr {
                    Some(f) => self.val(f),
                    None => "t::Value::Undefined(\"\")".into(),
                };
                format!("t::ops::cond({c}, {a}, {b})")
            }
            Expr::Filter(f) => {
                let Some(inner) = &f.expr else {
                    return self.unsupported(f.span(), "a filter without a value".into());
                };
                let v = self.borrow(inner);
                self.filter_call(f.name, &v, &f.args, f.span())
            }
            Expr::Test(_) => format!("t::Value::bool({})", cond_arg(self.cond(e))),
            Expr::GetAttr(g) => {
                let base = self.val_ref(&g.expr);
                format!("{base}.attr({})", rs_str(g.name))
            }
            Expr::GetItem(g) => {
                let base = self.val_ref(&g.expr);
                let key = self.borrow(&g.subscript_expr);
                format!("{base}.item({key})")
            }
            Expr::Call(c) => self.call(c, c.span()),
            Expr::List(l) => {
                let items: Vec<String> = l.items.iter().map(|i| self.val(i)).collect();
                format!("t::Value::list({})", array(&items))
            }
            Expr::Tuple(l) => {
                let items: Vec<String> = l.items.iter().map(|i| self.val(i)).collect();
                format!("t::Value::tuple({})", array(&items))
            }
            Expr::Map(m) => {
                let items: Vec<String> = m
                    .keys
                    .iter()
                    .zip(&m.values)
                    .map(|(k, v)| format!("({}, {})", self.val(k), self.val(v)))
                    .collect();
                format!("t::Value::dict({})", array(&items))
            }
        }
    }

    /// Filter `name` applied to the borrowed value `v` (`&…`).
    pub fn filter_call(&mut self, name: &str, v: &str, args: &[CallArg<'_>], at: Span) -> String {
        let args = self.args(args, at);
        if native(NATIVE_FILTERS, name) {
            format!("t::filters::{name}(ctx, {v}, {args})")
        } else {
            format!("ctx.filter({}, {v}, {args})", rs_str(name))
        }
    }

    /// A Rust `bool`.
    pub fn cond(&mut self, e: &Expr<'_>) -> String {
        match e {
            Expr::UnaryOp(u) if matches!(u.op, UnaryOpKind::Not) => {
                format!("!({})", self.cond(&u.expr))
            }
            Expr::BinOp(b) if matches!(b.op, BinOpKind::ScAnd | BinOpKind::ScOr) => {
                let op = if matches!(b.op, BinOpKind::ScAnd) {
                    "&&"
                } else {
                    "||"
                };
                let (l, r) = (self.cond(&b.left), self.cond(&b.right));
                format!("({l} {op} {r})")
            }
            Expr::Test(t) => {
                let v = self.borrow(&t.expr);
                let args = self.args(&t.args, t.span());
                if native(NATIVE_TESTS, t.name) {
                    format!("t::tests::{}(ctx, {v}, {args})", t.name)
                } else {
                    format!("ctx.test({}, {v}, {args})", rs_str(t.name))
                }
            }
            Expr::Const(c) if c.value.kind() == ValueKind::Bool => c.value.is_true().to_string(),
            Expr::Compare(c) if c.ops.len() > 1 => {
                // Jinja evaluates each middle operand once; duplicating it is only safe when
                // evaluating it has no effects.
                let mut parts = Vec::new();
                let mut left = &c.expr;
                for (i, op) in c.ops.iter().enumerate() {
                    if i + 1 < c.ops.len() && !matches!(op.expr, Expr::Var(_) | Expr::Const(_)) {
                        self.unsupported(
                            op.expr.span(),
                            "a chained comparison whose middle operand is not a name or literal"
                                .into(),
                        );
                    }
                    let (l, r) = (self.borrow(left), self.borrow(&op.expr));
                    parts.push(format!("{}.truthy()", compare(op.op, &l, &r)));
                    left = &op.expr;
                }
                format!("({})", parts.join(" && "))
            }
            _ => format!("{}.truthy()", self.val_ref(e)),
        }
    }

    /// `t::Args::new([pos…], [("kw", v)…])`.
    pub fn args(&mut self, args: &[CallArg<'_>], at: Span) -> String {
        let mut pos = Vec::new();
        let mut kw = Vec::new();
        for a in args {
            match a {
                CallArg::Pos(e) => pos.push(self.val(e)),
                CallArg::Kwarg(k, e) => {
                    let v = self.val(e);
                    kw.push(format!("({}, {v})", rs_str(k)));
                }
                CallArg::PosSplat(_) | CallArg::KwargSplat(_) => {
                    self.unsupported(at, "`*args`/`**kwargs` in a call".into());
                }
            }
        }
        format!("t::Args::new({}, {})", array(&pos), array(&kw))
    }

    fn call(&mut self, c: &ast::Call<'_>, at: Span) -> String {
        if let Expr::Var(v) = &c.expr {
            match v.id {
                "super" => {
                    return self.unsupported(at, "`super()` other than `{{ super() }}`".into())
                }
                "loop" if matches!(self.peek(v.id), Some(Binding::Local(_))) => {
                    return self.unsupported(at, "recursive `loop(…)`".into())
                }
                _ => {}
            }
        }
        if self.macro_target(&c.expr).is_some() {
            return self.unsupported(
                at,
                "a macro call used as a value (askama macros only write output)".into(),
            );
        }
        let f = self.val_ref(&c.expr);
        let args = self.args(&c.args, at);
        format!("{f}.call({args})")
    }

    /// A name as the current scope binds it, without recording anything.
    pub fn peek(&self, id: &str) -> Option<Binding> {
        let mut crossed = false;
        for frame in self.frames.iter().rev() {
            if let Some(b) = frame.vars.get(id) {
                if !(crossed && matches!(b, Binding::Local(_) | Binding::Lost(_) | Binding::Caller))
                {
                    return Some(b.clone());
                }
            }
            crossed |= frame.barrier;
        }
        None
    }

    /// If `e` names a macro (`m`, `mod.m`, or `caller`): (askama call path, template, macro).
    pub fn macro_target(&self, e: &Expr<'_>) -> Option<MacroRef> {
        match e {
            Expr::Var(v) => match self.peek(v.id)? {
                Binding::Macro(name) => Some(MacroRef::Local(name)),
                Binding::FromMacro {
                    scope,
                    target,
                    name,
                } => Some(MacroRef::Imported {
                    scope,
                    target,
                    name,
                }),
                Binding::Caller => Some(MacroRef::Caller),
                _ => None,
            },
            Expr::GetAttr(g) => match &g.expr {
                Expr::Var(v) => match self.peek(v.id)? {
                    Binding::Module { scope, target } => Some(MacroRef::Imported {
                        scope,
                        target,
                        name: g.name.to_string(),
                    }),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    fn constant(&mut self, v: &minijinja::Value, at: Span) -> String {
        match literal(v) {
            Some(s) => s,
            None => self.unsupported(at, format!("the literal `{v}`")),
        }
    }
}

/// A macro being called.
pub enum MacroRef {
    Local(String),
    Imported {
        scope: String,
        target: String,
        name: String,
    },
    Caller,
}

/// An array literal as a call argument. askama passes a literal array argument by reference
/// (`&([…])`) while the contract takes arrays by value; as a method receiver it is left alone,
/// and `map(identity)` gives the array back by value without cloning.
fn array(items: &[String]) -> String {
    format!("[{}].map(core::convert::identity)", items.join(", "))
}

/// A condition as a call argument: askama borrows a parenthesised group or a `!` of one
/// (`&(a && b)`), never a binary operation or a call.
fn cond_arg(c: String) -> String {
    if let Some(group) = c.strip_prefix('!').filter(|g| g.starts_with('(')) {
        format!("{group} == false")
    } else if c.starts_with('(') && c.ends_with(')') {
        c[1..c.len() - 1].to_string()
    } else {
        c
    }
}

fn compare(op: CompareOpKind, l: &str, r: &str) -> String {
    let op = match op {
        CompareOpKind::Eq => "eq",
        CompareOpKind::Ne => "ne",
        CompareOpKind::Lt => "lt",
        CompareOpKind::Lte => "le",
        CompareOpKind::Gt => "gt",
        CompareOpKind::Gte => "ge",
        CompareOpKind::In => "contains",
        CompareOpKind::NotIn => return format!("t::ops::not(&t::ops::contains({l}, {r}))"),
    };
    format!("t::ops::{op}({l}, {r})")
}

/// A Jinja literal as a `t::Value` constructor; `None` for what the contract cannot build.
pub fn literal(v: &minijinja::Value) -> Option<String> {
    Some(match v.kind() {
        ValueKind::None => NONE.into(),
        ValueKind::Bool => format!("t::Value::bool({})", v.is_true()),
        ValueKind::String => format!("t::Value::str({})", rs_str(v.as_str()?)),
        ValueKind::Number if v.is_integer() => format!("t::Value::int({})", v.as_i64()?),
        ValueKind::Number => float_lit(f64::try_from(v.clone()).ok()?)?,
        _ => return None,
    })
}

fn float_lit(f: f64) -> Option<String> {
    // `{:?}` is the shortest text that reads back as the same f64, and always a Rust float
    // literal (`1.0`, `1e-7`).
    f.is_finite().then(|| format!("t::Value::float({f:?})"))
}

fn negated_literal(v: &minijinja::Value) -> Option<String> {
    match v.kind() {
        ValueKind::Number if v.is_integer() => {
            Some(format!("t::Value::int({})", v.as_i64()?.checked_neg()?))
        }
        ValueKind::Number => float_lit(-f64::try_from(v.clone()).ok()?),
        _ => None,
    }
}
