//! Jinja's scoping, tracked while translating, and what one template tells the others.
//!
//! Jinja and askama scope differently, and a translation must never read a name Jinja would not:
//! - `for`, `with`, `macro`, `block`, `filter`, `autoescape` and call bodies are *hard* scopes in
//!   Jinja (assignments inside vanish at the end); the translator makes them askama scopes too.
//! - `if` is not a scope in Jinja, but its branches are Rust blocks in askama: a name `set` inside
//!   an `if` is [`Binding::Lost`] afterwards, and reading it is reported.
//! - macro and block bodies are *barriers*: only top-level macros and imports are seen through
//!   them (askama's are file-wide); every other name is the render context's (`ctx.get`).

use std::collections::{BTreeSet, HashMap};

use minijinja::machinery::Span;

/// What a Jinja name refers to at one point of a template.
#[derive(Clone, Debug)]
pub enum Binding {
    /// An askama local (its askama name: `j_x`, `jloop1`, …).
    Local(String),
    /// Set inside an `if` branch that has closed: Jinja still sees it, askama does not.
    Lost(Span),
    /// A macro of this template, defined earlier at the top level.
    Macro(String),
    /// `{% import "t" as m %}`: askama scope name and Jinja template name.
    Module { scope: String, target: String },
    /// `{% from "t" import f as g %}`: askama scope, template, macro name.
    FromMacro {
        scope: String,
        target: String,
        name: String,
    },
    /// `caller` inside a macro body.
    Caller,
}

/// A scope: its bindings, and whether lookups of values stop here.
pub struct Frame {
    pub vars: HashMap<String, Binding>,
    pub barrier: bool,
    /// Names assigned directly in this frame (for `if` branches: become `Lost` in the parent).
    pub assigned: Vec<(String, Span)>,
}

impl Frame {
    pub fn new(barrier: bool) -> Self {
        Frame {
            vars: HashMap::new(),
            barrier,
            assigned: Vec::new(),
        }
    }
}

/// A macro's signature and what its body needs, for call sites in this and other templates.
#[derive(Clone, Debug, Default)]
pub struct MacroInfo {
    pub params: Vec<String>,
    pub uses_caller: bool,
    /// Positional argument counts `caller(…)` is called with.
    pub caller_arities: BTreeSet<usize>,
    /// Names the body reads from the render context.
    pub free: BTreeSet<String>,
    /// askama names the body binds (a call block's body must not read a caller local shadowed by
    /// one of them: askama expands the body inside the macro).
    pub bound: BTreeSet<String>,
}

/// A fact about another template that only [`super::translate_set`] can check.
#[derive(Clone, Debug)]
pub enum Require {
    Extends {
        target: String,
        at: Span,
    },
    Include {
        target: String,
        at: Span,
        /// Jinja names visible at the include (Jinja passes them to the included template).
        locals: BTreeSet<String>,
    },
    Import {
        target: String,
        at: Span,
        with_context: bool,
    },
    MacroCall {
        target: String,
        name: String,
        at: Span,
        npos: usize,
        kws: Vec<String>,
        /// A call block: its `caller` parameter count and the askama locals its body reads.
        caller: Option<(usize, BTreeSet<String>)>,
    },
}

/// What translating one template found out, for the checks across templates.
#[derive(Debug, Default)]
pub struct Info {
    pub extends: Option<String>,
    /// Names assigned at the top level (set, macro, import): Jinja exports them to the context.
    pub top_names: BTreeSet<String>,
    /// Names read from the render context.
    pub free: BTreeSet<String>,
    pub macros: HashMap<String, MacroInfo>,
    pub requires: Vec<Require>,
    pub has_blocks: bool,
}
