//! Jinja's built-in tests implemented natively (others go through [`Context::test`]).
use super::{Args, Context, Value};

/// Names the translator may call as `t::tests::<name>`.
pub const NATIVE: &[&str] = &[];
