//! Text filters: escaping, case, whitespace, replacing, centring, counting and truncating words.

use super::*;
use crate::template::escape::escape_str;
use crate::template::format::{has_html, html_text, soft_text};

pub(super) fn safe_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    no_args(args)?;
    Some(html_text(v).map_or_else(Value::Poison, |t| markup(t.as_str())))
}

pub(super) fn escape_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    no_args(args)?;
    Some(html_text(v).map_or_else(Value::Poison, |t| markup(t.html())))
}

pub(super) fn forceescape_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    no_args(args)?;
    Some(html_text(v).map_or_else(Value::Poison, |t| markup(escape_str(t.as_str()))))
}

/// `soft_str(v)` when it is ASCII (Python's and Rust's case tables agree there).
pub(super) fn ascii_text<'a, 'py>(v: &'a Value<'py>) -> Option<Result<Text<'a>, Value<'py>>> {
    match soft_text(v) {
        Ok(t) if t.as_str().is_ascii() => Some(Ok(t)),
        Ok(_) => None,
        Err(e) => Some(Err(Value::Poison(e))),
    }
}

macro_rules! ascii_case {
    ($name:ident, |$t:ident| $body:expr) => {
        pub(super) fn $name<'py>(
            _: &Context<'py>,
            v: &Value<'py>,
            args: &Args<'py>,
        ) -> Native<'py> {
            no_args(args)?;
            Some(match ascii_text(v)? {
                Ok($t) => $body,
                Err(p) => p,
            })
        }
    };
}

ascii_case!(upper_, |t| like(&t, t.as_str().to_ascii_uppercase()));

ascii_case!(lower_, |t| like(&t, t.as_str().to_ascii_lowercase()));

ascii_case!(capitalize_, |t| {
    let s = t.as_str();
    let mut out = String::with_capacity(s.len());
    if let Some(c) = s.chars().next() {
        out.push(c.to_ascii_uppercase());
        out.push_str(&s[1..].to_ascii_lowercase());
    }
    like(&t, out)
});

// Jinja splits on `[-\s({\[<]+` and capitalises each piece; the result is a plain `str`.
ascii_case!(title_, |t| {
    let mut out = String::with_capacity(t.as_str().len());
    let mut start = true;
    for c in t.as_str().chars() {
        out.push(if start {
            c.to_ascii_uppercase()
        } else {
            c.to_ascii_lowercase()
        });
        start = matches!(c, '-' | '(' | '{' | '[' | '<') || is_py_space(c);
    }
    plain(out)
});

/// `str.isspace()`: Unicode whitespace plus the ASCII separators `\x1c`–`\x1f`.
pub(super) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

pub(super) fn trim_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [chars] = params(args, ["chars"])?;
    let t = match soft_text(v) {
        Ok(t) => t,
        Err(e) => return Some(Value::Poison(e)),
    };
    let s = t.as_str();
    let out = match chars {
        None | Some(Value::None) => s.trim_matches(is_py_space),
        // Markup.strip escapes its argument: leave that to Python.
        Some(c) if !t.is_markup() => {
            let set = c.as_str()?;
            s.trim_matches(|ch| set.contains(ch))
        }
        Some(_) => return None,
    };
    Some(like(&t, out.to_owned()))
}

pub(super) fn replace_<'py>(ctx: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [old, new, count] = params(args, ["old", "new", "count"])?;
    let (old, new) = (old?, new?);
    let count = match count {
        None | Some(Value::None) => -1,
        Some(c) => int_arg(Some(c), -1)?,
    };
    // Only string arguments natively: other objects with `__html__` have subtler rules.
    let is_text = |x: &Value<'_>| x.as_str().is_some() || matches!(x, Value::Markup(_));
    if !is_text(old) || !is_text(new) {
        return None;
    }
    let replace = |s: &str, a: &str, b: &str| {
        if count < 0 {
            s.replace(a, b)
        } else {
            s.replacen(a, b, count as usize)
        }
    };
    let r = (|| -> Result<Value<'py>, std::rc::Rc<str>> {
        let (o, n) = (soft_text(old)?, soft_text(new)?);
        if !ctx.autoescape {
            return Ok(plain(replace(&str_text(v)?, o.as_str(), n.as_str())));
        }
        let s_html = match v {
            Value::Markup(_) => true,
            Value::Py(obj) => has_html(obj),
            _ => false,
        };
        // A Markup subject uses `Markup.replace`, whose escaping of its arguments changed
        // between MarkupSafe versions: Python decides.
        if s_html || o.is_markup() || n.is_markup() {
            return Err("".into());
        }
        Ok(plain(replace(
            soft_text(v)?.as_str(),
            o.as_str(),
            n.as_str(),
        )))
    })();
    match r {
        Ok(v) => Some(v),
        Err(e) if e.is_empty() => None,
        Err(e) => Some(Value::Poison(e)),
    }
}

pub(super) fn center_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [width] = params(args, ["width"])?;
    let width = int_arg(width, 80)?;
    let t = match soft_text(v) {
        Ok(t) => t,
        Err(e) => return Some(Value::Poison(e)),
    };
    let len = t.as_str().chars().count() as i64;
    let marg = width - len;
    if marg <= 0 {
        return Some(like(&t, t.as_str().to_owned()));
    }
    // CPython's str.center: the odd space goes left only when both margin and width are odd.
    let left = marg / 2 + (marg & width & 1);
    let right = marg - left;
    let out = format!(
        "{}{}{}",
        " ".repeat(left as usize),
        t.as_str(),
        " ".repeat(right as usize)
    );
    Some(like(&t, out))
}

pub(super) fn wordcount_<'py>(_: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    no_args(args)?;
    Some(match ascii_text(v)? {
        Ok(t) => {
            let n = t
                .as_str()
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .count();
            Value::Int(n as i64)
        }
        Err(p) => p,
    })
}

pub(super) fn truncate_<'py>(ctx: &Context<'py>, v: &Value<'py>, args: &Args<'py>) -> Native<'py> {
    let [length, killwords, end, leeway] = params(args, ["length", "killwords", "end", "leeway"])?;
    let s = v.as_str()?;
    let length = int_arg(length, 255)?;
    let killwords = killwords.is_some_and(|k| k.truthy());
    let end = match end {
        None => "...",
        Some(e) => e.as_str()?,
    };
    let leeway = match leeway {
        None | Some(Value::None) => int_arg(Some(&ctx.policy("truncate.leeway")), 0)?,
        l => int_arg(l, 0)?,
    };
    let end_len = end.chars().count() as i64;
    if length < end_len || leeway < 0 {
        return None; // Jinja's assertion fails: let it raise.
    }
    if s.chars().count() as i64 <= length + leeway {
        return Some(v.clone());
    }
    let keep: String = s.chars().take((length - end_len) as usize).collect();
    let out = if killwords {
        keep
    } else {
        match keep.rsplit_once(' ') {
            Some((head, _)) => head.to_owned(),
            None => keep,
        }
    };
    Some(plain(out + end))
}
