//! Sequence filters: length, first/last, list, join, sum, items, dictsort, sort, min, max.

use pyo3::types::{PyList, PyTuple};

use super::*;
use crate::template::escape::escape_str;
use crate::template::format::{has_html, html_text, soft_text};
use crate::template::{loops, ops};

pub(super) fn length_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    no_args(args)?;
    let n = match v {
        Value::Str(s) | Value::Markup(s) => s.chars().count(),
        Value::List(items) | Value::Tuple(items) => items.len(),
        Value::Dict(items) => items.len(),
        Value::Undefined(_) => 0,
        Value::Py(obj) => obj.len().ok()?,
        _ => return None,
    };
    Some(Value::Int(n as i64))
}

/// `make_attrgetter(env, attribute)` applied to `item`: dotted parts, digits as indexes,
/// each looked up with `Environment.getitem`.
pub(super) fn attr_path<'py>(item: &Value<'py>, attribute: &Value<'py>) -> Option<Value<'py>> {
    match attribute {
        Value::Int(_) => Some(item.item(attribute)),
        _ => {
            let path = attribute.as_str()?;
            let mut cur = item.clone();
            for part in path.split('.') {
                let key = if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
                    Value::Int(part.parse().ok()?)
                } else {
                    Value::Str(part.into())
                };
                cur = cur.item(&key);
            }
            Some(cur)
        }
    }
}

pub(super) fn join_<'py>(ctx: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [d, attribute] = params(args, ["d", "attribute"])?;
    let mut items = loops::items(v).ok()?;
    if let Some(a) = attribute.filter(|a| !matches!(a, Value::None)) {
        items = items
            .iter()
            .map(|i| attr_path(i, a))
            .collect::<Option<Vec<_>>>()?;
    }
    let empty = Value::str("");
    let d = d.unwrap_or(&empty);
    let result = (|| -> Result<Value<'py>, std::rc::Rc<str>> {
        if !ctx.autoescape {
            let sep = str_text(d)?;
            let parts = items.iter().map(str_text).collect::<Result<Vec<_>, _>>()?;
            return Ok(plain(parts.join(&*sep)));
        }
        let d_html = match d {
            Value::Markup(_) => true,
            Value::Py(obj) => has_html(obj),
            _ => false,
        };
        if !d_html {
            let parts = items.iter().map(html_text).collect::<Result<Vec<_>, _>>()?;
            let sep = str_text(d)?;
            return Ok(if parts.iter().any(Text::is_markup) {
                let html: Vec<_> = parts.iter().map(Text::html).collect();
                markup(html.join(&escape_str(&sep)))
            } else {
                plain(
                    parts
                        .iter()
                        .map(Text::as_str)
                        .collect::<Vec<_>>()
                        .join(&sep),
                )
            });
        }
        // A Markup separator: `Markup.join(map(soft_str, items))` escapes plain items.
        let sep = soft_text(d)?;
        if !sep.is_markup() {
            return Err("".into());
        }
        let parts = items.iter().map(soft_text).collect::<Result<Vec<_>, _>>()?;
        let html: Vec<_> = parts.iter().map(Text::html).collect();
        Ok(markup(html.join(sep.as_str())))
    })();
    match result {
        Ok(v) => Some(v),
        Err(e) if e.is_empty() => None,
        Err(e) => Some(Value::Poison(e)),
    }
}

/// Items of lists and tuples, native or Python, without copying the rest.
pub(super) fn seq_end<'py>(v: &Value<'py>, last: bool) -> Option<Option<Value<'py>>> {
    let pick = |n: usize| {
        if last {
            n.checked_sub(1)
        } else {
            (n > 0).then_some(0)
        }
    };
    Some(match v {
        Value::List(items) | Value::Tuple(items) => pick(items.len()).map(|i| items[i].clone()),
        Value::Str(s) => {
            let c = if last {
                s.chars().next_back()
            } else {
                s.chars().next()
            };
            c.map(|c| plain(c.to_string()))
        }
        Value::Py(obj) => {
            if let Ok(l) = obj.cast_exact::<PyList>() {
                pick(l.len()).and_then(|i| l.get_item(i).ok()).map(from_py)
            } else if let Ok(t) = obj.cast_exact::<PyTuple>() {
                pick(t.len()).and_then(|i| t.get_item(i).ok()).map(from_py)
            } else {
                return None;
            }
        }
        _ => return None,
    })
}

pub(super) fn first_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    no_args(args)?;
    Some(seq_end(v, false)?.unwrap_or(Value::Undefined("")))
}

pub(super) fn last_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    no_args(args)?;
    Some(seq_end(v, true)?.unwrap_or(Value::Undefined("")))
}

pub(super) fn list_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    no_args(args)?;
    Some(Value::List(loops::items(v).ok()?.into()))
}

pub(super) fn sum_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [attribute, start] = params(args, ["attribute", "start"])?;
    if !matches!(attribute, None | Some(Value::None)) {
        return None;
    }
    let start = start.cloned().unwrap_or(Value::Int(0));
    let items = loops::items(v).ok()?;
    // Only ints: float sums are compensated in newer Pythons.
    if !matches!(start, Value::Int(_))
        || !items
            .iter()
            .all(|i| matches!(i, Value::Int(_) | Value::Bool(_)))
    {
        return None;
    }
    Some(items.iter().fold(start, |acc, i| ops::add(&acc, i)))
}

pub(super) fn items_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    no_args(args)?;
    match v {
        Value::Undefined(_) => Some(Value::List(Vec::new().into())),
        Value::Dict(items) => Some(Value::List(
            items
                .iter()
                .map(|(k, v)| Value::Tuple(vec![k.clone(), v.clone()].into()))
                .collect::<Vec<_>>()
                .into(),
        )),
        _ => None,
    }
}

/// A sort key `dictsort` can order natively: all ints, or all strings (ASCII when folding case,
/// Python's `lower()` being Unicode-aware).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Int(i64),
    Str(String),
}

fn sort_key(v: &Value<'_>, case_sensitive: bool) -> Option<SortKey> {
    match v {
        Value::Int(i) => Some(SortKey::Int(*i)),
        _ => {
            let s = v.as_str()?;
            if case_sensitive {
                Some(SortKey::Str(s.to_owned()))
            } else {
                s.is_ascii().then(|| SortKey::Str(s.to_ascii_lowercase()))
            }
        }
    }
}

pub(super) fn dictsort_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [case_sensitive, by, reverse] = params(args, ["case_sensitive", "by", "reverse"])?;
    let case_sensitive = case_sensitive.is_some_and(|c| c.truthy());
    let reverse = reverse.is_some_and(|r| r.truthy());
    let pos = match by.map(|b| b.as_str()) {
        None | Some(Some("key")) => 0,
        Some(Some("value")) => 1,
        _ => return None,
    };
    let pairs: Vec<(Value<'py>, Value<'py>)> = match v {
        Value::Dict(items) => items.as_ref().clone(),
        Value::Py(obj) => obj
            .cast_exact::<pyo3::types::PyDict>()
            .ok()?
            .iter()
            .map(|(k, v)| (from_py(k), from_py(v)))
            .collect(),
        _ => return None,
    };
    let mut keyed = pairs
        .into_iter()
        .map(|(k, v)| {
            let key = sort_key(if pos == 0 { &k } else { &v }, case_sensitive)?;
            Some((key, k, v))
        })
        .collect::<Option<Vec<_>>>()?;
    // Python's sort compares only with `<`; mixed ints and strings would raise.
    let kinds = keyed.iter().map(|(k, ..)| matches!(k, SortKey::Int(_)));
    if kinds.clone().any(|i| i) && kinds.clone().any(|i| !i) {
        return None;
    }
    // Both sorts are stable, and `reverse=True` keeps equal items in their original order.
    if reverse {
        keyed.sort_by(|a, b| b.0.cmp(&a.0));
    } else {
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
    }
    let items = keyed
        .into_iter()
        .map(|(_, k, v)| Value::Tuple(vec![k, v].into()))
        .collect::<Vec<_>>();
    Some(Value::List(items.into()))
}

/// Items with their native sort keys, or `None` when Python must compare them.
fn keyed_items<'py>(v: &Value<'py>, case_sensitive: bool) -> Option<Vec<(SortKey, Value<'py>)>> {
    let items = loops::items(v).ok()?;
    let keyed = items
        .into_iter()
        .map(|i| Some((sort_key(&i, case_sensitive)?, i)))
        .collect::<Option<Vec<_>>>()?;
    let ints = keyed
        .iter()
        .filter(|(k, _)| matches!(k, SortKey::Int(_)))
        .count();
    (ints == 0 || ints == keyed.len()).then_some(keyed)
}

fn no_attribute(attribute: Option<&Value<'_>>) -> bool {
    matches!(attribute, None | Some(Value::None))
}

pub(super) fn sort_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [reverse, case_sensitive, attribute] =
        params(args, ["reverse", "case_sensitive", "attribute"])?;
    if !no_attribute(attribute) {
        return None;
    }
    let mut keyed = keyed_items(v, case_sensitive.is_some_and(|c| c.truthy()))?;
    if reverse.is_some_and(|r| r.truthy()) {
        keyed.sort_by(|a, b| b.0.cmp(&a.0));
    } else {
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
    }
    Some(Value::List(
        keyed.into_iter().map(|(_, i)| i).collect::<Vec<_>>().into(),
    ))
}

/// `min`/`max`: Python returns the first of equal extremes.
fn extreme<'py>(v: &Value<'py>, args: &Args<'py>, max: bool) -> Native<'py> {
    let [case_sensitive, attribute] = params(args, ["case_sensitive", "attribute"])?;
    if !no_attribute(attribute) {
        return None;
    }
    let keyed = keyed_items(v, case_sensitive.is_some_and(|c| c.truthy()))?;
    let mut best: Option<(SortKey, Value<'py>)> = None;
    for (k, i) in keyed {
        let better = match &best {
            None => true,
            Some((b, _)) => (max && k > *b) || (!max && k < *b),
        };
        if better {
            best = Some((k, i));
        }
    }
    Some(best.map_or(Value::Undefined(""), |(_, i)| i))
}

pub(super) fn min_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    extreme(v, args, false)
}

pub(super) fn max_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    extreme(v, args, true)
}
