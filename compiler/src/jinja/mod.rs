//! Jinja2 → askama: the templates of a Flask app as askama templates over the run-time contract
//! in `runtime/src/template/mod.rs` (every value a `t::Value`, every operation a call the runtime
//! gives Jinja's semantics).
//!
//! ```text
//! source → minijinja's parser (AST with line/column) → translate (one template) → askama source
//!                                                    ↘ facts about other templates → translate_set
//! ```
//!
//! The parser is minijinja's (`unstable_machinery`), not a hand-written one: it parses Jinja2's
//! syntax including whitespace control, `trim_blocks`/`lstrip_blocks` and the trailing newline.
//!
//! Correctness over coverage: where askama cannot do what Jinja does, the construct is reported
//! ([`Unsupported`]) and the whole template — and every template extending, including or
//! importing it — is rendered by Jinja2 at run time. Expressions that only fail at run time
//! (attribute of `Undefined`, a Python exception) need no report: the runtime's poison values make
//! the render fail, and Jinja2 renders it instead.
//!
//! | Jinja | askama |
//! |---|---|
//! | `{{ e }}` | `{{ ctx.out(&E) }}` (`t::escaped`/`t::unescaped` in `{% autoescape %}`) |
//! | name / local | `ctx.get("n")` / `j_n` (`loop` → `jloop`, `jloop1`, … by nesting) |
//! | `a.b`, `a[b]`, `a[x:y]`, `f(x, k=v)` | `A.attr("b")`, `A.item(&B)`, `A.slice(…)`, `F.call(t::Args::new([X], [("k", V)]))` |
//! | `x\|f(a)` / `x is t` | `t::filters::f` or `ctx.filter("f", &X, args)` / `t::tests::t` or `ctx.test(…)` |
//! | operators, `a if c else b` | `t::ops::*`, `t::ops::cond(C, A, B)`; conditions: `.truthy()`, `&&`, `\|\|`, `!` |
//! | `for`, `loop.*`, `else`, unpacking | `{% for (jloop, j_x) in t::iterate(&S) %}`, `jloop.attr("…")`, `{% let %}` |
//! | `set`, block `set`, `with` | `{% let %}`, `{% let jcap %}…{% endlet %}`, `{% if t::Value::bool(true).truthy() %}{% let %}…` (a Rust block) |
//! | `filter` block | capture, then the filter on the captured Markup |
//! | `macro`, `m()`, `call`/`caller()` | `{% macro j_m(j_a = default) %}`, `{% call j_m(…) %}{% endcall %}`, `caller()` |
//! | `import … as m`, `from … import f` | `{% import "…" as j_m %}` + `j_m::j_f`, `{% import "…" as jfromN %}` |
//! | `extends`, `block`, `super()`, `include` | the same (blocks `j_name`); include in a bare scope |

mod expr;
mod folders;
mod macros;
mod names;
mod scope;
mod translate;

use std::collections::{BTreeSet, HashMap, HashSet};

use minijinja::machinery::{parse, Span};
use minijinja::syntax::SyntaxConfig;

pub use folders::{collect as collect_templates, Source};
use macros::check_macro_call;
pub use names::{flask_autoescape, GLOBALS, NATIVE_FILTERS, NATIVE_TESTS};
use scope::{Info, Require};
use translate::Tr;

/// The Jinja environment's settings that change how a template parses or renders.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub trim_blocks: bool,
    pub lstrip_blocks: bool,
    pub keep_trailing_newline: bool,
    /// Whether a template (by name) autoescapes.
    pub autoescape: fn(&str) -> bool,
}

impl Default for Options {
    /// Flask's environment.
    fn default() -> Self {
        Options {
            trim_blocks: false,
            lstrip_blocks: false,
            keep_trailing_newline: false,
            autoescape: flask_autoescape,
        }
    }
}

/// A construct that cannot be translated, with its 1-based position.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unsupported {
    pub line: usize,
    pub column: usize,
    pub construct: String,
}

/// One template's translation: askama source, or why it stays with Jinja2.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub name: String,
    pub result: Result<String, Vec<Unsupported>>,
}

struct One {
    askama: String,
    errors: Vec<Unsupported>,
    info: Info,
    autoescape: bool,
}

fn translate_one(name: &str, source: &str, known: Option<&HashSet<String>>, o: &Options) -> One {
    // Jinja2 normalises newlines in template data; minijinja keeps `\r\n`.
    let source = source.replace("\r\n", "\n").replace('\r', "\n");
    let autoescape = (o.autoescape)(name);
    let syntax = SyntaxConfig::builder()
        .trim_blocks(o.trim_blocks)
        .lstrip_blocks(o.lstrip_blocks)
        .keep_trailing_newline(o.keep_trailing_newline)
        .build()
        .unwrap_or_default();
    let mut tr = Tr::new(name, &source, known, autoescape);
    match parse(&source, name, syntax) {
        Ok(ast) => tr.template(&ast),
        Err(e) => tr.errors.push(Unsupported {
            line: e.line().unwrap_or(1),
            column: e.range().map_or(1, |r| column_of(&source, r.start)),
            construct: format!(
                "a syntax error for minijinja's parser: {}",
                e.detail().unwrap_or("?")
            ),
        }),
    }
    // askama drops one trailing newline of a template file (as Jinja does); Jinja's is already
    // gone (minijinja's lexer applied `keep_trailing_newline`), so give askama one to drop.
    tr.out.push('\n');
    let mut errors = tr.errors;
    errors.sort();
    errors.dedup();
    One {
        askama: tr.out,
        errors,
        info: tr.info,
        autoescape,
    }
}

/// Translates a set of templates (Jinja name, source) — normally all of an app's — checking what
/// crosses templates: `extends`/`include`/`import` targets must exist and translate, macros be
/// called as they are defined, names not leak through Jinja's shared context.
pub fn translate_set(templates: &[(String, String)], options: &Options) -> Vec<Outcome> {
    let known: HashSet<String> = templates.iter().map(|(n, _)| n.clone()).collect();
    let ones: HashMap<&str, One> = templates
        .iter()
        .map(|(n, s)| (n.as_str(), translate_one(n, s, Some(&known), options)))
        .collect();
    let mut errors: HashMap<&str, Vec<Unsupported>> = HashMap::new();
    for (name, one) in &ones {
        let mut errs = one.errors.clone();
        cross_checks(name, one, &ones, &mut errs);
        errors.insert(name, errs);
    }
    // A template that extends, includes or imports one that falls back falls back as a whole.
    loop {
        let failing: HashSet<&str> = errors
            .iter()
            .filter(|(_, e)| !e.is_empty())
            .map(|(n, _)| *n)
            .collect();
        let mut changed = false;
        for (name, one) in &ones {
            for r in &one.info.requires {
                let (target, at, what) = match r {
                    Require::Extends { target, at } => (target, at, "extends"),
                    Require::Include { target, at, .. } => (target, at, "include"),
                    Require::Import { target, at, .. } => (target, at, "import"),
                    Require::MacroCall { .. } => continue,
                };
                if failing.contains(target.as_str()) && !failing.contains(name) {
                    // Name the target's first reason, so the report leads to the construct.
                    let why = errors[target.as_str()]
                        .iter()
                        .min()
                        .map(|u| format!(" ({}:{}: {})", u.line, u.column, u.construct))
                        .unwrap_or_default();
                    errors
                        .get_mut(name)
                        .expect("every template")
                        .push(unsupported(
                            *at,
                            format!("`{what}` of \"{target}\", which cannot be compiled{why}"),
                        ));
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    templates
        .iter()
        .map(|(n, _)| {
            let mut errs = errors.remove(n.as_str()).unwrap_or_default();
            errs.sort();
            errs.dedup();
            Outcome {
                name: n.clone(),
                result: if errs.is_empty() {
                    Ok(ones[n.as_str()].askama.clone())
                } else {
                    Err(errs)
                },
            }
        })
        .collect()
}

/// The 1-based column (in characters) of a byte offset.
fn column_of(source: &str, offset: usize) -> usize {
    let before = source.get(..offset.min(source.len())).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    before[line_start..].chars().count() + 1
}

fn unsupported(at: Span, construct: String) -> Unsupported {
    Unsupported {
        line: at.start_line as usize,
        column: at.start_col as usize + 1,
        construct,
    }
}

/// Names read from the context by `name` and every template it includes.
fn free_through_includes<'a>(
    name: &'a str,
    ones: &'a HashMap<&str, One>,
    seen: &mut HashSet<&'a str>,
    out: &mut BTreeSet<String>,
) {
    if !seen.insert(name) {
        return;
    }
    let Some(one) = ones.get(name) else { return };
    out.extend(one.info.free.iter().cloned());
    for r in &one.info.requires {
        if let Require::Include { target, .. } = r {
            free_through_includes(target, ones, seen, out);
        }
    }
}

/// Whether `from` reaches `to` through includes and imports (askama inlines both at compile
/// time, so a cycle — a recursive include rendering a tree, say — would not compile).
fn reaches(from: &str, to: &str, ones: &HashMap<&str, One>, seen: &mut HashSet<String>) -> bool {
    if from == to {
        return true;
    }
    if !seen.insert(from.to_string()) {
        return false;
    }
    let Some(one) = ones.get(from) else {
        return false;
    };
    one.info.requires.iter().any(|r| match r {
        Require::Include { target, .. } | Require::Import { target, .. } => {
            reaches(target, to, ones, seen)
        }
        _ => false,
    })
}

fn cross_checks(name: &str, one: &One, ones: &HashMap<&str, One>, errs: &mut Vec<Unsupported>) {
    for r in &one.info.requires {
        if let Require::Include { target, at, .. } | Require::Import { target, at, .. } = r {
            if reaches(target, name, ones, &mut HashSet::new()) {
                errs.push(unsupported(
                    *at,
                    format!("\"{target}\" includes or imports this template again (a cycle)"),
                ));
            }
        }
        match r {
            Require::Extends { target, at } => {
                let Some(parent) = ones.get(target.as_str()) else {
                    continue;
                };
                if parent.autoescape != one.autoescape {
                    errs.push(unsupported(
                        *at,
                        format!("`extends` of \"{target}\", which autoescapes differently"),
                    ));
                }
                // The whole chain shares one context: a name one template assigns at its top
                // level is seen by every other's blocks in Jinja, never in askama.
                let mut chain = vec![name];
                let mut cur = one;
                while let Some(p) = &cur.info.extends {
                    if chain.contains(&p.as_str()) {
                        errs.push(unsupported(*at, "an `extends` cycle".into()));
                        break;
                    }
                    let Some(next) = ones.get(p.as_str()) else {
                        break;
                    };
                    chain.push(p);
                    cur = next;
                }
                let mut top = BTreeSet::new();
                let mut free = BTreeSet::new();
                for t in &chain {
                    top.extend(ones[t].info.top_names.iter().cloned());
                    free.extend(ones[t].info.free.iter().cloned());
                }
                if let Some(n) = top.intersection(&free).next() {
                    errs.push(unsupported(*at, format!("`{n}` is assigned at the top level of a template of this inheritance chain and read through Jinja's shared context")));
                }
            }
            Require::Include { target, at, locals } => {
                let Some(inc) = ones.get(target.as_str()) else {
                    continue;
                };
                if inc.autoescape != one.autoescape {
                    errs.push(unsupported(
                        *at,
                        format!("`include` of \"{target}\", which autoescapes differently"),
                    ));
                }
                if inc.info.extends.is_some() || inc.info.has_blocks {
                    errs.push(unsupported(
                        *at,
                        format!("`include` of \"{target}\", which has blocks"),
                    ));
                }
                let mut free = BTreeSet::new();
                free_through_includes(target, ones, &mut HashSet::new(), &mut free);
                if let Some(n) = free.intersection(locals).next() {
                    errs.push(unsupported(*at, format!("`include` of \"{target}\", which reads `{n}`, a local here (Jinja passes locals to included templates)")));
                }
            }
            Require::Import {
                target,
                at,
                with_context,
            } => {
                let Some(m) = ones.get(target.as_str()) else {
                    continue;
                };
                if m.autoescape != one.autoescape {
                    errs.push(unsupported(
                        *at,
                        format!("import of \"{target}\", which autoescapes differently"),
                    ));
                }
                if !with_context {
                    for (mname, mi) in &m.info.macros {
                        if let Some(n) = mi.free.iter().find(|n| !GLOBALS.contains(&n.as_str())) {
                            errs.push(unsupported(*at, format!("import of \"{target}\" without context, whose macro `{mname}` reads `{n}` (Undefined in Jinja, the context here)")));
                            break;
                        }
                    }
                }
            }
            Require::MacroCall {
                target,
                name: mname,
                at,
                npos,
                kws,
                caller,
            } => {
                let Some(m) = ones.get(target.as_str()) else {
                    continue;
                };
                match m.info.macros.get(mname) {
                    None => errs.push(unsupported(
                        *at,
                        format!("\"{target}\" has no macro `{mname}`"),
                    )),
                    Some(mi) => {
                        if let Some(e) = check_macro_call(mname, mi, *npos, kws, caller.as_ref()) {
                            errs.push(unsupported(*at, e));
                        }
                    }
                }
            }
        }
    }
}

/// One template alone: what cannot be translated, as
/// `(line, column, description)`. Templates it refers to are assumed to exist and translate.
pub fn untranslatable(source: &str) -> Vec<(usize, usize, String)> {
    let one = translate_one("<template>.html", source, None, &Options::default());
    one.errors
        .into_iter()
        .map(|u| (u.line, u.column, u.construct))
        .collect()
}

/// One template alone (for tests and tools): askama source or what is unsupported.
pub fn translate(name: &str, source: &str, options: &Options) -> Result<String, Vec<Unsupported>> {
    let one = translate_one(name, source, None, options);
    if one.errors.is_empty() {
        Ok(one.askama)
    } else {
        Err(one.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_options_are_applied_by_the_lexer() {
        let src = "<ul>\n  {% for x in xs %}\n  <li>{{ x }}</li>\n  {% endfor %}\n</ul>\n";
        let plain = translate("a.html", src, &Options::default()).unwrap();
        assert!(plain.starts_with("<ul>\n  {% for"), "{plain}");
        let trimmed = Options {
            trim_blocks: true,
            lstrip_blocks: true,
            ..Options::default()
        };
        let out = translate("a.html", src, &trimmed).unwrap();
        assert!(out.starts_with("<ul>\n{% for"), "{out}");
        assert!(out.contains("%}  <li>"), "{out}");
    }

    #[test]
    fn trailing_newline_kept_when_asked() {
        let keep = Options {
            keep_trailing_newline: true,
            ..Options::default()
        };
        // askama drops one more newline than it is given.
        assert_eq!(translate("a.txt", "x\n", &keep).unwrap(), "x\n\n");
        assert_eq!(
            translate("a.txt", "x\n", &Options::default()).unwrap(),
            "x\n"
        );
    }

    #[test]
    fn set_checks_across_templates() {
        let set = |items: &[(&str, &str)]| {
            let v: Vec<(String, String)> = items
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            translate_set(&v, &Options::default())
        };
        let out = set(&[
            ("a.html", "{% include 'missing.html' %}"),
            ("b.html", "{% extends 'a.html' %}"),
            ("c.txt", "x"),
            ("d.html", "{% include 'c.txt' %}"),
            ("e.html", "{% if x %}{% include 'e.html' %}{% endif %}"),
        ]);
        let ok: Vec<bool> = out.iter().map(|o| o.result.is_ok()).collect();
        assert_eq!(ok, [false, false, true, false, false], "{out:?}");
    }
}
