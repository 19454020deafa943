//! Names the translator must agree on with the run-time crate and with Jinja/Flask.
//!
//! The compiler never depends on the runtime crate (it would pull pyo3, tokio and axum into
//! `bustapi check`), so the native filter and test lists are copied here; the askama compile-check
//! test (`compiler/tests/askama_compile/`) asserts they equal `t::filters::NATIVE` and
//! `t::tests::NATIVE`.

/// `bustapi_runtime::template::filters::NATIVE`.
pub const NATIVE_FILTERS: &[&str] = &[
    "safe",
    "escape",
    "e",
    "forceescape",
    "length",
    "count",
    "upper",
    "lower",
    "title",
    "capitalize",
    "trim",
    "default",
    "d",
    "join",
    "replace",
    "first",
    "last",
    "int",
    "float",
    "string",
    "list",
    "abs",
    "round",
    "center",
    "sum",
    "wordcount",
    "truncate",
    "items",
    "dictsort",
    "sort",
    "min",
    "max",
    "attr",
    "tojson",
];

/// `bustapi_runtime::template::tests::NATIVE`.
pub const NATIVE_TESTS: &[&str] = &[
    "defined",
    "undefined",
    "none",
    "boolean",
    "true",
    "false",
    "integer",
    "float",
    "number",
    "string",
    "mapping",
    "sequence",
    "iterable",
    "callable",
    "sameas",
    "escaped",
    "lower",
    "upper",
    "odd",
    "even",
    "divisibleby",
    "eq",
    "equalto",
    "ne",
    "lt",
    "lessthan",
    "le",
    "gt",
    "greaterthan",
    "ge",
    "in",
];

/// Whether a native filter or test can be called as `t::filters::<name>`: Jinja's `true`,
/// `false` and `in` tests are Rust keywords, and those always go through `ctx.test`.
pub fn native(list: &[&str], name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
        "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
        "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self",
        "Self", "static", "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe",
        "unsized", "use", "virtual", "where", "while", "yield",
    ];
    list.contains(&name) && !KEYWORDS.contains(&name)
}

/// Names a macro of a template imported *without context* can still see: Jinja's default globals
/// and the ones Flask's `create_jinja_environment` adds. A macro reading anything else gets
/// `Undefined` in Jinja but the render context in a translation (`ctx.get`), so such a macro is
/// reported instead.
pub const GLOBALS: &[&str] = &[
    "range",
    "dict",
    "lipsum",
    "cycler",
    "joiner",
    "namespace",
    "url_for",
    "get_flashed_messages",
    "config",
    "request",
    "session",
    "g",
];

/// Flask's `select_jinja_autoescape`: autoescape templates ending in these.
pub fn flask_autoescape(name: &str) -> bool {
    [".html", ".htm", ".xml", ".xhtml", ".svg"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// A Rust (and askama) string literal for `s`. Only the escapes askama's `str_lit` accepts.
pub fn rs_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_escape_what_rust_needs() {
        assert_eq!(rs_str("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\u{1}é\"");
    }

    #[test]
    fn flask_autoescape_extensions() {
        assert!(flask_autoescape("a/b.html"));
        assert!(flask_autoescape("x.svg"));
        assert!(!flask_autoescape("mail.txt"));
    }
}
