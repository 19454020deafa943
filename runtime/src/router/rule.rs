//! Rule strings: Werkzeug's `Rule._parse_rule` and `Rule.compile` — the parts a rule is split into
//! (one per `/`, or one for everything after a `path` converter), their weights, the trace that
//! defines rule equality, and the converters of the rule's variables.

use std::sync::LazyLock;

use regex::Regex;

use super::args::parse_converter_args;
use super::converters::{py_re_escape, Converter, BUILTIN_NAMES};
use super::RouterError;

/// More parts than this are left to Werkzeug (matching recurses once per part).
const MAX_PARTS: usize = 512;

/// Werkzeug's `_part_re`, anchored.
static PART_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<slash>/)|(?P<static>[^</]+)|(?:<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<arguments>.*?)\))?:)?(?P<variable>[a-zA-Z_][a-zA-Z0-9_]*)>))",
    )
    .expect("rule part pattern is valid")
});

/// Werkzeug's `Weighting`; the derived order is Python's tuple/list order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Weighting {
    number_static_weights: i64,
    static_weights: Vec<(i64, i64)>,
    number_argument_weights: i64,
    argument_weights: Vec<i64>,
}

impl Weighting {
    fn new(static_weights: Vec<(i64, i64)>, argument_weights: Vec<i64>) -> Weighting {
        Weighting {
            number_static_weights: -(static_weights.len() as i64),
            static_weights,
            number_argument_weights: -(argument_weights.len() as i64),
            argument_weights,
        }
    }
}

/// What makes two parts the same matcher transition (Werkzeug's `RulePart.__eq__`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PartKey {
    /// The static text, or the Python regex exactly as Werkzeug builds it.
    pub(crate) content: String,
    pub(crate) is_final: bool,
    pub(crate) is_static: bool,
    pub(crate) suffixed: bool,
    pub(crate) weight: Weighting,
}

#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) key: PartKey,
    /// For dynamic parts: the equivalent `regex`-crate pattern, anchored, one group per converter.
    /// For suffixed parts the `(?<!/)(/?)` suffix is left out; the matcher strips the slash itself.
    pub(crate) rust_regex: String,
    /// Converter groups in the order Werkzeug reads them (sorted by group *name*, so `_10` < `_2`).
    pub(crate) group_order: Vec<usize>,
}

enum Piece {
    Text(String),
    Group(String),
}

#[derive(Debug, Clone)]
pub(crate) struct ParsedRule {
    /// The domain part (always the static `""` here) followed by the path parts.
    pub(crate) parts: Vec<Part>,
    /// `Rule._trace` after the `|` separator: `(is_dynamic, text)`; equal traces mean equal rules.
    pub(crate) trace: Vec<(bool, String)>,
    /// `Rule._converters`: each variable once, in order of first appearance, with its last converter.
    pub(crate) converters: Vec<(String, Converter)>,
}

/// Parse a rule string as `Rule.compile` does, with `merge_slashes` applied to the string first.
/// `overridden` names converters the map binds to something other than Werkzeug's own class.
pub(crate) fn parse_rule(
    rule: &str,
    merge_slashes: bool,
    overridden: &[String],
) -> Result<ParsedRule, RouterError> {
    if !rule.starts_with('/') {
        return Err(RouterError::Invalid(format!(
            "URL rule {rule:?} must start with a slash"
        )));
    }
    // re.sub("/{2,}?", "/", rule) replaces each non-overlapping "//" by "/" ("///" becomes "//").
    let rule = if merge_slashes {
        rule.replace("//", "/")
    } else {
        rule.to_string()
    };
    let domain = Part {
        key: PartKey {
            content: String::new(),
            is_final: false,
            is_static: true,
            suffixed: false,
            weight: Weighting::new(vec![], vec![]),
        },
        rust_regex: String::new(),
        group_order: vec![],
    };
    let mut parsed = ParsedRule {
        parts: vec![domain],
        trace: vec![],
        converters: vec![],
    };
    let mut builder = PartBuilder::default();
    let mut pos = 0;
    while pos < rule.len() {
        let m = PART_RE
            .captures(&rule[pos..])
            .ok_or_else(|| RouterError::Invalid(format!("malformed url rule: {rule:?}")))?;
        if let Some(text) = m.name("static") {
            let text = text.as_str();
            parsed.trace.push((false, text.to_string()));
            builder.static_text(text);
        }
        if let Some(variable) = m.name("variable") {
            let variable = variable.as_str().to_string();
            let name = m.name("converter").map_or("default", |c| c.as_str());
            let args = parse_converter_args(m.name("arguments").map_or("", |a| a.as_str()))?;
            if !BUILTIN_NAMES.contains(&name) || overridden.iter().any(|o| o == name) {
                return Err(RouterError::Unsupported(format!(
                    "custom converter {name:?} in rule {rule:?}"
                )));
            }
            let converter = Converter::new(name, args)?;
            builder.converter(&converter);
            match parsed.converters.iter_mut().find(|(v, _)| *v == variable) {
                Some(slot) => slot.1 = converter,
                None => parsed.converters.push((variable.clone(), converter)),
            }
            parsed.trace.push((true, variable));
        }
        if m.name("slash").is_some() {
            parsed.trace.push((false, "/".into()));
            if let Some(part) = builder.slash() {
                parsed.parts.push(part);
            }
        }
        pos += m.get(0).map_or(rule.len(), |all| all.end().max(1));
    }
    parsed.parts.extend(builder.finish());
    if parsed.parts.len() > MAX_PARTS {
        return Err(RouterError::Unsupported(format!(
            "rule with more than {MAX_PARTS} parts"
        )));
    }
    Ok(parsed)
}

/// The state of `_parse_rule` between two slashes.
struct PartBuilder {
    content: String,
    is_static: bool,
    is_final: bool,
    static_weights: Vec<(i64, i64)>,
    argument_weights: Vec<i64>,
    pieces: Vec<Piece>,
}

impl Default for PartBuilder {
    fn default() -> PartBuilder {
        PartBuilder {
            content: String::new(),
            is_static: true,
            is_final: false,
            static_weights: vec![],
            argument_weights: vec![],
            pieces: vec![],
        }
    }
}

impl PartBuilder {
    fn static_text(&mut self, text: &str) {
        self.static_weights.push((
            self.static_weights.len() as i64,
            -(text.chars().count() as i64),
        ));
        if self.is_static {
            self.content.push_str(text);
        } else {
            self.content.push_str(&py_re_escape(text));
        }
        self.pieces.push(Piece::Text(text.to_string()));
    }

    fn converter(&mut self, converter: &Converter) {
        if self.is_static {
            self.content = py_re_escape(&self.content);
            self.is_static = false;
        }
        if !converter.part_isolating() {
            self.is_final = true;
        }
        let number = self.argument_weights.len();
        self.content.push_str(&format!(
            "(?P<__werkzeug_{number}>{})",
            converter.python_regex()
        ));
        self.argument_weights.push(converter.weight());
        self.pieces.push(Piece::Group(converter.rust_regex()));
    }

    fn slash(&mut self) -> Option<Part> {
        if self.is_final {
            self.content.push('/');
            self.pieces.push(Piece::Text("/".into()));
            return None;
        }
        if !self.is_static {
            self.content.push_str("\\Z");
        }
        Some(std::mem::take(self).into_part(false))
    }

    fn finish(mut self) -> Vec<Part> {
        let suffixed = self.is_final && self.content.ends_with('/');
        if suffixed {
            self.content.pop();
            self.content.push_str("(?<!/)(/?)");
            self.pieces.pop();
        }
        if !self.is_static {
            self.content.push_str("\\Z");
        }
        let part = self.into_part(suffixed);
        let mut parts = vec![part];
        if suffixed {
            let mut slash = parts[0].clone();
            slash.key = PartKey {
                content: String::new(),
                is_final: false,
                is_static: true,
                suffixed: false,
                weight: slash.key.weight,
            };
            slash.rust_regex = String::new();
            slash.group_order = vec![];
            parts.push(slash);
        }
        parts
    }

    fn into_part(self, suffixed: bool) -> Part {
        let groups = self.argument_weights.len();
        let mut group_order: Vec<usize> = (0..groups).collect();
        group_order.sort_by_key(|i| i.to_string());
        let rust_regex = if self.is_static {
            String::new()
        } else {
            let body: String = self
                .pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Text(text) => regex::escape(text),
                    Piece::Group(re) => format!("({re})"),
                })
                .collect();
            format!("^(?:{body})\\z")
        };
        Part {
            key: PartKey {
                content: self.content,
                is_final: self.is_final,
                is_static: self.is_static,
                suffixed,
                weight: Weighting::new(self.static_weights, self.argument_weights),
            },
            rust_regex,
            group_order,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(rule: &str) -> ParsedRule {
        parse_rule(rule, true, &[]).unwrap()
    }

    fn contents(rule: &str) -> Vec<String> {
        parse(rule)
            .parts
            .iter()
            .map(|p| p.key.content.clone())
            .collect()
    }

    #[test]
    fn parts_like_werkzeug() {
        assert_eq!(contents("/"), ["", "", ""]);
        assert_eq!(contents("/a/b/"), ["", "", "a", "b", ""]);
        assert_eq!(
            contents("/a.b/<int:x>"),
            ["", "", "a.b", "(?P<__werkzeug_0>\\d+)\\Z"]
        );
        assert_eq!(
            contents("/v<int:n>.json"),
            ["", "", "v(?P<__werkzeug_0>\\d+)\\.json\\Z"]
        );
        assert_eq!(
            contents("/x/<path:p>/edit"),
            ["", "", "x", "(?P<__werkzeug_0>[^/].*?)/edit\\Z"]
        );
        assert_eq!(
            contents("/<path:p>/"),
            ["", "", "(?P<__werkzeug_0>[^/].*?)(?<!/)(/?)\\Z", ""]
        );
        assert_eq!(
            contents("/a b<x>"),
            ["", "", "a\\ b(?P<__werkzeug_0>[^/]{1,})\\Z"]
        );
        // merge_slashes applies to the rule string: "///" becomes "//"
        assert_eq!(contents("/a///b"), ["", "", "a", "", "b"]);
        assert_eq!(parse_rule("/a//b", false, &[]).unwrap().parts.len(), 5);
    }

    #[test]
    fn trace_and_converters() {
        let rule = parse("/a/<int:x>-<y>/<string(length=2):x>");
        let names: Vec<&str> = rule.converters.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["x", "y"]);
        assert!(matches!(rule.converters[0].1, Converter::Unicode { .. }));
        assert_eq!(rule.trace.len(), 8);
        assert_eq!(rule.trace[3], (true, "x".into()));
    }

    #[test]
    fn weights() {
        let w = |r: &str| parse(r).parts.last().unwrap().key.weight.clone();
        assert!(w("/<int:x>") < w("/<x>"));
        assert!(w("/<x>") < w("/<path:x>"));
        assert!(w("/a<x>") < w("/<x>"));
        assert!(w("/ab<x>") < w("/a<x>"));
    }

    #[test]
    fn group_order_sorts_by_name() {
        let rule: String = (0..12).map(|i| format!("<int:v{i}>-")).collect();
        let parsed = parse(&format!("/{rule}"));
        assert_eq!(
            parsed.parts.last().unwrap().group_order,
            [0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9]
        );
    }

    #[test]
    fn errors() {
        assert!(matches!(
            parse_rule("a", true, &[]),
            Err(RouterError::Invalid(_))
        ));
        assert!(matches!(
            parse_rule("/<int:>", true, &[]),
            Err(RouterError::Invalid(_))
        ));
        assert!(matches!(
            parse_rule("/a<b", true, &[]),
            Err(RouterError::Invalid(_))
        ));
        assert!(matches!(
            parse_rule("/<foo:x>", true, &[]),
            Err(RouterError::Unsupported(_))
        ));
        assert!(matches!(
            parse_rule("/<int:x>", true, &["int".into()]),
            Err(RouterError::Unsupported(_))
        ));
    }
}
