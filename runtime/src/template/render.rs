//! Turning a compiled template into text: [`render`], and `{{ v }}` inside
//! `{% autoescape %}` blocks.

use std::fmt;

use super::context;
use super::format::Output;
use super::Value;

/// Renders a compiled template, mapping a recorded error (or an askama error) to `Err`.
pub fn render<T: askama::Template>(template: &T) -> Result<String, String> {
    let out = template.render();
    // The slot belongs to the innermost live `Context`: the one this template renders with.
    if let Some(e) = context::take_error() {
        return Err(e.to_string());
    }
    out.map_err(|e| e.to_string())
}

/// `{{ v }}` inside `{% autoescape true %}`.
pub fn escaped<'a, 'py>(v: &'a Value<'py>) -> impl fmt::Display + use<'a, 'py> {
    Output {
        value: v,
        escape: true,
    }
}

/// `{{ v }}` inside `{% autoescape false %}`.
pub fn unescaped<'a, 'py>(v: &'a Value<'py>) -> impl fmt::Display + use<'a, 'py> {
    Output {
        value: v,
        escape: false,
    }
}
