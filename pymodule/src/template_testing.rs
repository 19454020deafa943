//! Test-only entry points into the compiled-template run-time (`bustapi_runtime::template`), so
//! pytest can compare each contract call with Jinja2 rendering the same expression
//! (`tests/test_template_runtime.py`). Each renders `{{ <expression> }}` through `Context::out`
//! and returns the text, or raises `RuntimeError` with the error a render would have recorded.
//!
//! With `native=True` Python literals (str, Markup, list, tuple, dict) are first turned into
//! native values, as template literals are, so both representations are covered.

use std::collections::HashSet;
use std::rc::Rc;
use std::sync::Mutex;

use bustapi_runtime::template::{self as t, Args, Context, Value};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

/// Keyword names live as long as the program (the contract takes `&'static str`); interned so a
/// long hypothesis run leaks each distinct name once.
fn intern(name: &str) -> &'static str {
    static NAMES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    let set = names.get_or_insert_with(HashSet::new);
    if let Some(n) = set.get(name) {
        return n;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    set.insert(leaked);
    leaked
}

fn value<'py>(obj: &Bound<'py, PyAny>, native: bool) -> PyResult<Value<'py>> {
    if !native {
        return Ok(Value::from_py(obj.clone()));
    }
    let py = obj.py();
    if obj.is_exact_instance_of::<PyString>() {
        return Ok(Value::Str(obj.extract::<String>()?.into()));
    }
    let markup = py.import("markupsafe")?.getattr("Markup")?;
    if obj.get_type().is(&markup) {
        return Ok(Value::Markup(obj.str()?.to_str()?.into()));
    }
    if let Ok(l) = obj.cast_exact::<PyList>() {
        let items = l.iter().map(|i| value(&i, true)).collect::<PyResult<_>>()?;
        return Ok(Value::List(Rc::new(items)));
    }
    if let Ok(tp) = obj.cast_exact::<PyTuple>() {
        let items = tp
            .iter()
            .map(|i| value(&i, true))
            .collect::<PyResult<_>>()?;
        return Ok(Value::Tuple(Rc::new(items)));
    }
    if let Ok(d) = obj.cast_exact::<PyDict>() {
        let items = d
            .iter()
            .map(|(k, v)| Ok((value(&k, true)?, value(&v, true)?)))
            .collect::<PyResult<_>>()?;
        return Ok(Value::Dict(Rc::new(items)));
    }
    Ok(Value::from_py(obj.clone()))
}

fn args<'py>(
    pos: &Bound<'py, PyList>,
    kw: &Bound<'py, PyDict>,
    native: bool,
) -> PyResult<Args<'py>> {
    Ok(Args {
        pos: pos
            .iter()
            .map(|v| value(&v, native))
            .collect::<PyResult<_>>()?,
        kw: kw
            .iter()
            .map(|(k, v)| Ok((intern(k.cast::<PyString>()?.to_str()?), value(&v, native)?)))
            .collect::<PyResult<_>>()?,
    })
}

/// A render of `{{ f(ctx) }}` with the environment's globals and no variables.
fn render<'py>(
    env: Bound<'py, PyAny>,
    autoescape: bool,
    f: impl FnOnce(&Context<'py>) -> PyResult<Value<'py>>,
) -> PyResult<String> {
    let py = env.py();
    let globals = env.getattr("globals")?;
    let ctx = Context::new(PyDict::new(py), globals, env, autoescape, None);
    let v = f(&ctx)?;
    let text = ctx.out(&v).to_string();
    match ctx.take_error() {
        Some(e) => Err(PyRuntimeError::new_err(e)),
        None => Ok(text),
    }
}

/// `{{ value|name(*args, **kwargs) }}`: a native filter when there is one, else `Context::filter`.
#[pyfunction]
#[pyo3(signature = (env, autoescape, name, value, args, kwargs, native=false))]
#[allow(clippy::too_many_arguments)]
fn _template_filter<'py>(
    env: Bound<'py, PyAny>,
    autoescape: bool,
    name: &str,
    value: Bound<'py, PyAny>,
    args: Bound<'py, PyList>,
    kwargs: Bound<'py, PyDict>,
    native: bool,
) -> PyResult<String> {
    render(env, autoescape, |ctx| {
        let v = self::value(&value, native)?;
        let a = self::args(&args, &kwargs, native)?;
        Ok(match t::filters::TABLE.iter().find(|(n, _)| *n == name) {
            Some((_, f)) => f(ctx, &v, a),
            None => ctx.filter(intern(name), &v, a),
        })
    })
}

/// `value is name(*args, **kwargs)`: a native test when there is one, else `Context::test`.
#[pyfunction]
#[pyo3(signature = (env, name, value, args, kwargs, native=false))]
fn _template_test<'py>(
    env: Bound<'py, PyAny>,
    name: &str,
    value: Bound<'py, PyAny>,
    args: Bound<'py, PyList>,
    kwargs: Bound<'py, PyDict>,
    native: bool,
) -> PyResult<bool> {
    let mut answer = false;
    render(env, false, |ctx| {
        let v = self::value(&value, native)?;
        let a = self::args(&args, &kwargs, native)?;
        answer = match t::tests::TABLE.iter().find(|(n, _)| *n == name) {
            Some((_, f)) => f(ctx, &v, a),
            None => ctx.test(intern(name), &v, a),
        };
        Ok(Value::None)
    })?;
    Ok(answer)
}

type BinOp<'py> = for<'a, 'b> fn(&'a Value<'py>, &'b Value<'py>) -> Value<'py>;

/// `{{ a <op> b }}` (`op` names a function of `t::ops`; unary ones ignore `b`).
#[pyfunction]
#[pyo3(signature = (env, autoescape, op, a, b, native=false))]
fn _template_op<'py>(
    env: Bound<'py, PyAny>,
    autoescape: bool,
    op: &str,
    a: Bound<'py, PyAny>,
    b: Bound<'py, PyAny>,
    native: bool,
) -> PyResult<String> {
    use t::ops;
    render(env, autoescape, |_| {
        let (a, b) = (value(&a, native)?, value(&b, native)?);
        let f: BinOp<'py> = match op {
            "add" => ops::add as BinOp<'py>,
            "sub" => ops::sub as BinOp<'py>,
            "mul" => ops::mul as BinOp<'py>,
            "div" => ops::div as BinOp<'py>,
            "floordiv" => ops::floordiv as BinOp<'py>,
            "rem" => ops::rem as BinOp<'py>,
            "pow" => ops::pow as BinOp<'py>,
            "concat" => ops::concat as BinOp<'py>,
            "eq" => ops::eq as BinOp<'py>,
            "ne" => ops::ne as BinOp<'py>,
            "lt" => ops::lt as BinOp<'py>,
            "le" => ops::le as BinOp<'py>,
            "gt" => ops::gt as BinOp<'py>,
            "ge" => ops::ge as BinOp<'py>,
            "contains" => ops::contains as BinOp<'py>,
            "and" => ops::and as BinOp<'py>,
            "or" => ops::or as BinOp<'py>,
            "neg" => return Ok(ops::neg(&a)),
            "pos" => return Ok(ops::pos(&a)),
            "not" => return Ok(ops::not(&a)),
            "cond" => return Ok(ops::cond(a.truthy(), a.clone(), b)),
            _ => return Err(PyValueError::new_err(format!("unknown operator {op}"))),
        };
        Ok(f(&a, &b))
    })
}

/// `{{ value.name }}`.
#[pyfunction]
#[pyo3(signature = (env, autoescape, value, name, native=false))]
fn _template_attr<'py>(
    env: Bound<'py, PyAny>,
    autoescape: bool,
    value: Bound<'py, PyAny>,
    name: &str,
    native: bool,
) -> PyResult<String> {
    render(env, autoescape, |_| {
        Ok(self::value(&value, native)?.attr(name))
    })
}

/// `{{ value[key] }}`.
#[pyfunction]
#[pyo3(signature = (env, autoescape, value, key, native=false))]
fn _template_item<'py>(
    env: Bound<'py, PyAny>,
    autoescape: bool,
    value: Bound<'py, PyAny>,
    key: Bound<'py, PyAny>,
    native: bool,
) -> PyResult<String> {
    render(env, autoescape, |_| {
        Ok(self::value(&value, native)?.item(&self::value(&key, native)?))
    })
}

/// `{{ value[start:stop:step] }}`.
#[pyfunction]
#[pyo3(signature = (env, autoescape, value, start, stop, step, native=false))]
#[allow(clippy::too_many_arguments)]
fn _template_slice<'py>(
    env: Bound<'py, PyAny>,
    autoescape: bool,
    value: Bound<'py, PyAny>,
    start: Bound<'py, PyAny>,
    stop: Bound<'py, PyAny>,
    step: Bound<'py, PyAny>,
    native: bool,
) -> PyResult<String> {
    render(env, autoescape, |_| {
        let v = self::value(&value, native)?;
        Ok(v.slice(
            &self::value(&start, native)?,
            &self::value(&stop, native)?,
            &self::value(&step, native)?,
        ))
    })
}

/// `{{ value(*args, **kwargs) }}`.
#[pyfunction]
#[pyo3(signature = (env, autoescape, value, args, kwargs))]
fn _template_call<'py>(
    env: Bound<'py, PyAny>,
    autoescape: bool,
    value: Bound<'py, PyAny>,
    args: Bound<'py, PyList>,
    kwargs: Bound<'py, PyDict>,
) -> PyResult<String> {
    render(env, autoescape, |_| {
        Ok(Value::from_py(value.clone()).call(self::args(&args, &kwargs, false)?))
    })
}

/// `{{ value }}`.
#[pyfunction]
#[pyo3(signature = (env, autoescape, value, native=false))]
fn _template_out<'py>(
    env: Bound<'py, PyAny>,
    autoescape: bool,
    value: Bound<'py, PyAny>,
    native: bool,
) -> PyResult<String> {
    render(env, autoescape, |_| self::value(&value, native))
}

/// `{% for x in seq %}` printing, per item, each of `attrs` followed by `,` and `;` after the
/// item: `x` is the item, `cycle` is `loop.cycle('a', 'b', 'c')`, `changed` is
/// `loop.changed(x)`, anything else `loop.<attr>`. An empty sequence prints `else`.
#[pyfunction]
#[pyo3(signature = (env, autoescape, seq, attrs, native=false))]
fn _template_loop<'py>(
    env: Bound<'py, PyAny>,
    autoescape: bool,
    seq: Bound<'py, PyAny>,
    attrs: Vec<String>,
    native: bool,
) -> PyResult<String> {
    let mut text = String::new();
    render(env, autoescape, |ctx| {
        let seq = value(&seq, native)?;
        let mut any = false;
        for (jloop, x) in t::iterate(&seq) {
            any = true;
            for a in &attrs {
                let v = match a.as_str() {
                    "x" => x.clone(),
                    "cycle" => jloop.attr("cycle").call(Args::new(
                        [Value::str("a"), Value::str("b"), Value::str("c")],
                        [],
                    )),
                    "changed" => jloop.attr("changed").call(Args::new([x.clone()], [])),
                    other => jloop.attr(other),
                };
                text.push_str(&ctx.out(&v).to_string());
                text.push(',');
            }
            text.push(';');
        }
        if !any {
            text.push_str("else");
        }
        Ok(Value::str(""))
    })?;
    Ok(text)
}

/// What generated code does, by hand: `Hello {{ name }}!`.
fn demo(ctx: &Context<'_>) -> Result<String, String> {
    let text = format!("Hello {}!", ctx.out(&ctx.get("name")));
    ctx.take_error().map_or(Ok(text), Err)
}

/// `{{ nothing.x }}`: fails (attribute of an undefined name).
fn fails(ctx: &Context<'_>) -> Result<String, String> {
    let text = ctx.out(&ctx.get("nothing").attr("x")).to_string();
    ctx.take_error().map_or(Ok(text), Err)
}

/// `{{ name|nest }}`: a Python filter that may render templates itself (nested renders).
fn nested(ctx: &Context<'_>) -> Result<String, String> {
    let v = ctx.filter("nest", &ctx.get("name"), Args::new([], []));
    let text = ctx.out(&v).to_string();
    ctx.take_error().map_or(Ok(text), Err)
}

static DEMO: &[(&str, t::RenderFn)] = &[
    ("demo.html", demo),
    ("fails.html", fails),
    ("nested.html", nested),
];
static DEMO_SOURCES: &[(&str, &str)] = &[
    ("demo.html", "Hello {{ name }}!"),
    ("fails.html", "{{ nothing.x }}"),
    ("nested.html", "{{ name|nest }}"),
];

/// Sets `bustapi.templating.compiled` to a registry of three hand-written templates.
#[pyfunction]
fn _template_install_demo(py: Python<'_>) -> PyResult<()> {
    t::install(py, DEMO, DEMO_SOURCES)
}

/// The names `t::filters::NATIVE` and `t::tests::NATIVE`.
#[pyfunction]
fn _template_natives() -> (Vec<&'static str>, Vec<&'static str>) {
    (t::filters::NATIVE.to_vec(), t::tests::NATIVE.to_vec())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    t::registry::register(m)?;
    m.add_function(wrap_pyfunction!(_template_filter, m)?)?;
    m.add_function(wrap_pyfunction!(_template_test, m)?)?;
    m.add_function(wrap_pyfunction!(_template_op, m)?)?;
    m.add_function(wrap_pyfunction!(_template_attr, m)?)?;
    m.add_function(wrap_pyfunction!(_template_item, m)?)?;
    m.add_function(wrap_pyfunction!(_template_slice, m)?)?;
    m.add_function(wrap_pyfunction!(_template_call, m)?)?;
    m.add_function(wrap_pyfunction!(_template_out, m)?)?;
    m.add_function(wrap_pyfunction!(_template_loop, m)?)?;
    m.add_function(wrap_pyfunction!(_template_natives, m)?)?;
    m.add_function(wrap_pyfunction!(_template_install_demo, m)?)?;
    Ok(())
}
