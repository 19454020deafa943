//! Werkzeug's `StateMachineMatcher`: a tree of states, one transition per rule part; static
//! transitions are tried before dynamic ones, dynamic ones in weight order, with backtracking.
//! This finds the rule and the raw strings of its variables; conversion happens afterwards.

use std::collections::BTreeSet;

use regex::Regex;
// FxHash: the keys are the app's own rule parts (fixed at build time), looked up once per path
// segment per request; SipHash's DoS resistance buys nothing for lookups alone.
use rustc_hash::FxHashMap;

use super::rule::{Part, PartKey};
use super::RouterError;

/// A piece of the path between slashes: its byte offset in the path and its text.
#[derive(Clone, Copy)]
struct Seg<'p> {
    offset: usize,
    text: &'p str,
}

/// The synthetic `[""]` Werkzeug continues with after a slash-suffixed `path` part.
const TRAILING: [Seg<'static>; 1] = [Seg {
    offset: usize::MAX,
    text: "",
}];

#[derive(Default)]
struct State {
    statics: FxHashMap<String, usize>,
    /// (index into `Matcher::dynamic`, next state), sorted by weight like `StateMachineMatcher.update`.
    dynamic: Vec<(usize, usize)>,
    rules: Vec<usize>,
}

struct Dynamic {
    key: PartKey,
    regex: Regex,
    group_order: Vec<usize>,
}

/// What a rule contributes to matching besides its parts.
pub(crate) struct MatchRule {
    pub(crate) methods: Option<Vec<String>>,
    pub(crate) strict_slashes: bool,
}

pub(crate) struct Matcher {
    states: Vec<State>,
    dynamic: Vec<Dynamic>,
    rules: Vec<MatchRule>,
}

/// The outcome of one matching pass.
pub(crate) enum Found<'p> {
    /// The rule and the raw values of its converter groups, in Werkzeug's order.
    Rule(usize, Vec<&'p str>),
    /// Werkzeug's `SlashRequired`: the path matches a strict-slashes rule once a `/` is appended.
    SlashRequired,
    None,
}

struct SlashRequired;

impl Matcher {
    pub(crate) fn new(rules: Vec<MatchRule>) -> Matcher {
        Matcher {
            states: vec![State::default()],
            dynamic: vec![],
            rules,
        }
    }

    /// `StateMachineMatcher.add`.
    pub(crate) fn add(&mut self, rule: usize, parts: &[Part]) -> Result<(), RouterError> {
        let mut state = 0;
        for part in parts {
            if part.key.is_static {
                state = match self.states[state].statics.get(&part.key.content) {
                    Some(&next) => next,
                    None => {
                        let next = self.new_state();
                        self.states[state]
                            .statics
                            .insert(part.key.content.clone(), next);
                        next
                    }
                };
                continue;
            }
            let existing = self.states[state]
                .dynamic
                .iter()
                .find(|(d, _)| self.dynamic[*d].key == part.key)
                .map(|&(_, next)| next);
            state = match existing {
                Some(next) => next,
                None => {
                    let regex = Regex::new(&part.rust_regex).map_err(|e| {
                        RouterError::Unsupported(format!("rule part {:?}: {e}", part.key.content))
                    })?;
                    self.dynamic.push(Dynamic {
                        key: part.key.clone(),
                        regex,
                        group_order: part.group_order.clone(),
                    });
                    let next = self.new_state();
                    let dynamic = self.dynamic.len() - 1;
                    self.states[state].dynamic.push((dynamic, next));
                    next
                }
            };
        }
        self.states[state].rules.push(rule);
        Ok(())
    }

    fn new_state(&mut self) -> usize {
        self.states.push(State::default());
        self.states.len() - 1
    }

    /// `StateMachineMatcher.update`: a stable sort of each state's dynamic transitions by weight.
    pub(crate) fn update(&mut self) {
        let dynamic = &self.dynamic;
        for state in &mut self.states {
            state
                .dynamic
                .sort_by(|a, b| dynamic[a.0].key.weight.cmp(&dynamic[b.0].key.weight));
        }
    }

    /// One pass of `StateMachineMatcher.match` over `path` (already `"/" + lstripped`, or empty).
    /// Methods of rules that match the path but not `method` are added to `have_match_for`.
    pub(crate) fn find<'p>(
        &self,
        path: &'p str,
        method: &str,
        have_match_for: &mut BTreeSet<String>,
    ) -> Found<'p> {
        let mut parts = vec![Seg {
            offset: usize::MAX,
            text: "",
        }]; // the (empty) domain part
        let mut offset = 0;
        for text in path.split('/') {
            parts.push(Seg { offset, text });
            offset += text.len() + 1;
        }
        let mut walk = Walk {
            matcher: self,
            path,
            method,
            have_match_for,
            values: vec![],
        };
        match walk.walk(0, &parts) {
            Ok(Some(rule)) => Found::Rule(rule, walk.values),
            Ok(None) => Found::None,
            Err(SlashRequired) => Found::SlashRequired,
        }
    }
}

struct Walk<'m, 'p, 'h> {
    matcher: &'m Matcher,
    path: &'p str,
    method: &'m str,
    have_match_for: &'h mut BTreeSet<String>,
    values: Vec<&'p str>,
}

impl<'m, 'p> Walk<'m, 'p, '_> {
    fn allows(&self, rule: usize) -> bool {
        self.matcher.rules[rule]
            .methods
            .as_ref()
            .is_none_or(|m| m.iter().any(|x| x == self.method))
    }

    fn note_methods(&mut self, rule: usize) {
        if let Some(methods) = &self.matcher.rules[rule].methods {
            self.have_match_for.extend(methods.iter().cloned());
        }
    }

    /// `"/".join(parts)`: parts come from the path, so this is a slice of it.
    fn join(&self, parts: &[Seg<'p>]) -> &'p str {
        match (parts.first(), parts.last()) {
            (Some(first), Some(last)) if first.offset != usize::MAX => {
                &self.path[first.offset..last.offset + last.text.len()]
            }
            _ => "",
        }
    }

    fn walk(&mut self, state: usize, parts: &[Seg<'p>]) -> Result<Option<usize>, SlashRequired> {
        let matcher: &'m Matcher = self.matcher;
        let st = &matcher.states[state];
        let Some(part) = parts.first() else {
            for &rule in &st.rules {
                if self.allows(rule) {
                    return Ok(Some(rule));
                }
                self.note_methods(rule);
            }
            if let Some(&slash) = st.statics.get("") {
                for &rule in &matcher.states[slash].rules {
                    if self.allows(rule) {
                        return if matcher.rules[rule].strict_slashes {
                            Err(SlashRequired)
                        } else {
                            Ok(Some(rule))
                        };
                    }
                }
            }
            return Ok(None);
        };
        if let Some(&next) = st.statics.get(part.text) {
            if let Some(rule) = self.walk(next, &parts[1..])? {
                return Ok(Some(rule));
            }
        }
        for &(dynamic, next) in &st.dynamic {
            let dynamic = &matcher.dynamic[dynamic];
            let (target, mut remaining) = if dynamic.key.is_final {
                (self.join(parts), &parts[parts.len()..])
            } else {
                (part.text, &parts[1..])
            };
            // A suffixed part ends in `(?<!/)(/?)`: one trailing slash is split off, and the rest must
            // not end with a slash (the `regex` crate has no look-behind).
            let subject = match target.strip_suffix('/') {
                Some(inner) if dynamic.key.suffixed => {
                    if inner.ends_with('/') {
                        continue;
                    }
                    remaining = &TRAILING;
                    inner
                }
                _ => target,
            };
            let Some(caps) = dynamic.regex.captures(subject) else {
                continue;
            };
            let mark = self.values.len();
            for &group in &dynamic.group_order {
                self.values
                    .push(caps.get(group + 1).map_or("", |m| m.as_str()));
            }
            if let Some(rule) = self.walk(next, remaining)? {
                return Ok(Some(rule));
            }
            self.values.truncate(mark);
        }
        if parts.len() == 1 && part.text.is_empty() {
            for &rule in &st.rules {
                if matcher.rules[rule].strict_slashes {
                    continue;
                }
                if self.allows(rule) {
                    return Ok(Some(rule));
                }
                self.note_methods(rule);
            }
        }
        Ok(None)
    }
}
