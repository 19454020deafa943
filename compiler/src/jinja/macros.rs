//! Macros: definitions, calls (`{{ m() }}` and call blocks) and their checks. askama expands a
//! macro at each call site, so a call is checked against the macro's signature here (or, for an
//! imported macro, recorded for [`super::translate_set`]).

use std::collections::BTreeSet;

use minijinja::machinery::ast::{self, CallArg, Expr};
use minijinja::machinery::Span;

use super::expr::MacroRef;
use super::names::rs_str;
use super::scope::{Binding, MacroInfo, Require};
use super::translate::Tr;

impl Tr<'_> {
    /// Arguments of a macro call in askama's syntax (named ones as `j_name = v`).
    pub(super) fn macro_args(&mut self, args: &[CallArg<'_>], at: Span) -> Vec<String> {
        let mut out = Vec::new();
        for a in args {
            match a {
                CallArg::Pos(e) => out.push(self.val(e)),
                CallArg::Kwarg(k, e) => {
                    let v = self.val(e);
                    out.push(format!("j_{k} = {v}"));
                }
                _ => {
                    self.unsupported(at, "`*args`/`**kwargs` in a macro call".into());
                }
            }
        }
        out
    }

    /// The askama path of a macro call, after checking the call against the macro (or recording
    /// the check for [`super::translate_set`]).
    pub(super) fn macro_path(
        &mut self,
        m: MacroRef,
        args: &[CallArg<'_>],
        caller: Option<(usize, BTreeSet<String>)>,
        at: Span,
    ) -> String {
        let npos = args.iter().filter(|a| matches!(a, CallArg::Pos(_))).count();
        let kws: Vec<String> = args
            .iter()
            .filter_map(|a| match a {
                CallArg::Kwarg(k, _) => Some(k.to_string()),
                _ => None,
            })
            .collect();
        match m {
            MacroRef::Local(name) => {
                let info = self.info.macros.get(&name).cloned().unwrap_or_default();
                if let Some(e) = check_macro_call(&name, &info, npos, &kws, caller.as_ref()) {
                    self.unsupported(at, e);
                }
                format!("j_{name}")
            }
            MacroRef::Imported {
                scope,
                target,
                name,
            } => {
                self.info.requires.push(Require::MacroCall {
                    target,
                    name: name.clone(),
                    at,
                    npos,
                    kws,
                    caller,
                });
                format!("{scope}::j_{name}")
            }
            MacroRef::Caller => self.unsupported(at, "a call block calling `caller`".into()),
        }
    }

    pub(super) fn macro_def(&mut self, m: &ast::Macro<'_>, at: Span) {
        if !self.top_level() {
            self.unsupported(at, "a macro not defined at the top level".into());
            return;
        }
        let params = param_names(&m.args);
        self.push(true);
        self.bind("caller", Binding::Caller, at);
        self.macro_info = Some(MacroInfo {
            params: params.clone(),
            ..MacroInfo::default()
        });
        self.macro_name = Some(m.name.to_string());
        let first_default = params.len() - m.defaults.len().min(params.len());
        let mut decl = Vec::new();
        for (i, p) in params.iter().enumerate() {
            let default = match i.checked_sub(first_default) {
                Some(d) => self.val(&m.defaults[d]),
                None => format!("t::Value::Undefined({})", rs_str(p)),
            };
            decl.push(format!("j_{p} = {default}"));
            self.bind(p, Binding::Local(format!("j_{p}")), at);
        }
        let saved_depth = std::mem::replace(&mut self.loop_depth, 0);
        self.out
            .push_str(&format!("{{% macro j_{}({}) %}}", m.name, decl.join(", ")));
        self.stmts(&m.body);
        self.out.push_str("{% endmacro %}");
        self.loop_depth = saved_depth;
        self.pop(false);
        let info = self.macro_info.take().unwrap_or_default();
        self.macro_name = None;
        self.info.macros.insert(m.name.to_string(), info);
        self.bind(m.name, Binding::Macro(m.name.to_string()), at);
    }

    pub(super) fn call_block(&mut self, c: &ast::CallBlock<'_>, at: Span) {
        if self.autoescape.is_some() {
            self.unsupported(at, "a call block inside `{% autoescape %}`".into());
        }
        let Some(m) = self.macro_target(&c.call.expr) else {
            self.unsupported(at, "a call block that does not call a macro".into());
            return;
        };
        if let MacroRef::Local(name) | MacroRef::Imported { name, .. } = &m {
            if self.macro_name.as_deref() == Some(name.as_str()) {
                self.unsupported(at, "a recursive macro".into());
            }
        }
        let args = self.macro_args(&c.call.args, at);
        let params = param_names(&c.macro_decl.args);
        if !c.macro_decl.defaults.is_empty() {
            self.unsupported(at, "defaults in a call block's parameters".into());
        }
        // The body is expanded by askama inside the macro: translate it first (into a side
        // buffer) to learn which caller locals it reads.
        let outer = std::mem::take(&mut self.out);
        self.push(false);
        for p in &params {
            self.bind(p, Binding::Local(format!("j_{p}")), at);
        }
        let mark = self.used.len();
        self.call_bodies += 1;
        self.stmts(&c.macro_decl.body);
        self.call_bodies -= 1;
        let reads: BTreeSet<String> = self.used[mark..]
            .iter()
            .filter(|a| !params.iter().any(|p| format!("j_{p}") == **a))
            .cloned()
            .collect();
        self.pop(false);
        let body = std::mem::replace(&mut self.out, outer);
        let path = self.macro_path(m, &c.call.args, Some((params.len(), reads)), at);
        let cparams: Vec<String> = params.iter().map(|p| format!("j_{p}")).collect();
        let cparams = if cparams.is_empty() {
            String::new()
        } else {
            format!("({})", cparams.join(", "))
        };
        self.out.push_str(&format!(
            "{{% call{cparams} {path}({}) %}}{body}{{% endcall %}}",
            args.join(", ")
        ));
    }
}

/// Checks a call against a macro's signature; `Some(reason)` when it cannot be compiled.
pub fn check_macro_call(
    name: &str,
    m: &MacroInfo,
    npos: usize,
    kws: &[String],
    caller: Option<&(usize, BTreeSet<String>)>,
) -> Option<String> {
    if npos > m.params.len() {
        return Some(format!("`{name}` called with more arguments than it takes"));
    }
    for (i, k) in kws.iter().enumerate() {
        match m.params.iter().position(|p| p == k) {
            None => return Some(format!("`{name}` has no parameter `{k}`")),
            Some(p) if p < npos || kws[..i].contains(k) => {
                return Some(format!("`{name}` gets `{k}` twice"))
            }
            _ => {}
        }
    }
    match caller {
        None if m.uses_caller => Some(format!(
            "`{name}` uses `caller` but is called without a call block"
        )),
        Some((n, reads)) => {
            if m.caller_arities.iter().any(|a| a != n) {
                return Some(format!(
                    "`{name}` calls `caller` with a different number of arguments than the call block takes"
                ));
            }
            if let Some(r) = reads
                .iter()
                .find(|r| m.bound.contains(*r) || m.params.iter().any(|p| format!("j_{p}") == **r))
            {
                return Some(format!(
                    "the call block reads a local (`{r}`) that `{name}` shadows where askama expands it"
                ));
            }
            None
        }
        None => None,
    }
}

/// The names of a macro's (or call block's) parameters, in order.
fn param_names(args: &[Expr<'_>]) -> Vec<String> {
    args.iter()
        .filter_map(|a| match a {
            Expr::Var(v) => Some(v.id.to_string()),
            _ => None,
        })
        .collect()
}
