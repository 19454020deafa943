//! Test-only crate: the corpus (`fixtures/templates/corpus/`) as `compiler/tests/jinja.rs`
//! translated it, compiled with askama's derive against `bustapi_runtime::template`. A template
//! the translator writes but askama cannot parse, or an expression the contract does not type,
//! fails this crate's build — in `cargo test`, not in a user's `bustapi build`.
//!
//! `templates/` and `src/generated.rs` are written by `compiler/tests/jinja.rs`; do not edit.

#![allow(clippy::all, unused)]

mod generated;

pub use generated::REGISTRY;

#[cfg(test)]
mod tests {
    use bustapi_compiler::jinja::{NATIVE_FILTERS, NATIVE_TESTS};
    use bustapi_runtime::template as t;

    /// The compiler keeps its own copy of the runtime's native lists (it must not depend on
    /// pyo3); they must agree.
    #[test]
    fn native_lists_match_the_runtime() {
        assert_eq!(NATIVE_FILTERS, t::filters::NATIVE);
        assert_eq!(NATIVE_TESTS, t::tests::NATIVE);
    }

    #[test]
    fn every_compiled_template_is_registered() {
        assert!(super::REGISTRY.len() >= 50, "{}", super::REGISTRY.len());
    }
}
