//! Jinja's built-in filters implemented natively (others go through [`Context::filter`]).
use super::{Args, Context, Value};

/// Names the translator may call as `t::filters::<name>`.
pub const NATIVE: &[&str] = &[];
