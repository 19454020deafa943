//! Werkzeug URL rules: `/user/<int:id>/<path:rest>` split into static text and variables, with the
//! errors `werkzeug.routing.Rule` raises (`must start with a slash`, `malformed url rule`).

/// The converters Werkzeug's `Map` knows by default.
pub const BUILTIN_CONVERTERS: &[&str] =
    &["default", "string", "any", "path", "int", "float", "uuid"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable {
    /// `default` when none is written.
    pub converter: String,
    pub arguments: Option<String>,
    pub name: String,
}

/// The variables of a rule, or Werkzeug's error for it.
pub fn parse(rule: &str) -> Result<Vec<Variable>, String> {
    if !rule.starts_with('/') {
        return Err(format!("URL rule '{rule}' must start with a slash."));
    }
    let bytes = rule.as_bytes();
    let mut vars = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        if bytes[pos] != b'<' {
            pos += 1;
            continue;
        }
        match variable_at(rule, pos) {
            Some((var, end)) => {
                vars.push(var);
                pos = end;
            }
            None => return Err(format!("malformed url rule: '{rule}'")),
        }
    }
    Ok(vars)
}

fn ident_end(s: &[u8], start: usize) -> Option<usize> {
    let first = *s.get(start)?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let mut end = start + 1;
    while end < s.len() && (s[end].is_ascii_alphanumeric() || s[end] == b'_') {
        end += 1;
    }
    Some(end)
}

/// Matches `<[converter[(args)]:]variable>` at `pos` (which holds `<`), as Werkzeug's `_part_re`.
fn variable_at(rule: &str, pos: usize) -> Option<(Variable, usize)> {
    let s = rule.as_bytes();
    let start = pos + 1;
    let first_end = ident_end(s, start)?;
    // Plain `<name>`.
    if s.get(first_end) == Some(&b'>') {
        return Some((
            Variable {
                converter: "default".into(),
                arguments: None,
                name: rule[start..first_end].to_string(),
            },
            first_end + 1,
        ));
    }
    let converter = rule[start..first_end].to_string();
    let mut at = first_end;
    let mut arguments = None;
    if s.get(at) == Some(&b'(') {
        // Non-greedy `.*?\)` followed by `:`: the first `):` closes the arguments.
        let rest = &rule[at + 1..];
        let close = rest.find("):")?;
        arguments = Some(rest[..close].to_string());
        at = at + 1 + close + 1;
    }
    if s.get(at) != Some(&b':') {
        return None;
    }
    let name_start = at + 1;
    let name_end = ident_end(s, name_start)?;
    if s.get(name_end) != Some(&b'>') {
        return None;
    }
    Some((
        Variable {
            converter,
            arguments,
            name: rule[name_start..name_end].to_string(),
        },
        name_end + 1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_werkzeug_rules() {
        let vars = parse("/u/<int:id>/<path:p>/<name>/<any(a,b):kind>").unwrap();
        let names: Vec<_> = vars
            .iter()
            .map(|v| (v.converter.as_str(), v.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("int", "id"),
                ("path", "p"),
                ("default", "name"),
                ("any", "kind")
            ]
        );
        assert_eq!(vars[3].arguments.as_deref(), Some("a,b"));
        assert!(parse("x").is_err());
        assert!(parse("/<int:>").is_err());
        assert!(parse("/<1x>").is_err());
        assert!(parse("/a<b").is_err());
        assert!(parse("/").unwrap().is_empty());
    }
}
