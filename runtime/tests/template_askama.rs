//! The template contract under askama 0.16: hand-written templates in the shapes the Jinja
//! translator emits compile with `#[derive(Template)]` and `escape = "none"`, and render the
//! same bytes as Jinja2 rendering the equivalent Jinja source (in an embedded interpreter).

use askama::Template;
use bustapi_runtime::template as t;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Jinja: `{{ user.name }}|{{ user.name|upper }}|{% for x in items %}{{ loop.index }}:{{ x }}…`
#[derive(Template)]
#[template(
    ext = "html",
    escape = "none",
    source = r#"{{ ctx.out(&ctx.get("user").attr("name")) }}|{{ ctx.out(&t::filters::upper(ctx, &ctx.get("user").attr("name"), t::Args::new([], []))) }}|
{%- for (jloop, j_x) in t::iterate(&ctx.get("items")) %}{{ ctx.out(&jloop.attr("index")) }}:{{ ctx.out(&j_x) }}{% if !jloop.attr("last").truthy() %},{% endif %}{% else %}none{% endfor %}|
{%- for (jloop, j_x) in t::iterate(&ctx.get("pairs")) %}{% let j_k = j_x.item(&t::Value::int(0)) %}{% let j_v = j_x.item(&t::Value::int(1)) %}{{ ctx.out(&j_k) }}={{ ctx.out(&j_v) }}{{ ctx.out(&jloop.attr("cycle").call(t::Args::new([t::Value::str("a"), t::Value::str("b")], []))) }};{% endfor %}|
{%- if ctx.get("a").truthy() && !ctx.get("b").truthy() %}a-not-b{% else %}other{% endif %}|
{%- let j_d = t::Value::dict([(t::Value::str("a"), t::Value::int(1))]) %}{{ ctx.out(&j_d.attr("a")) }}|
{{- t::escaped(&t::Value::str("<&>")) }}{{ t::unescaped(&t::Value::str("<&>")) }}|
{{- ctx.out(&t::ops::add(&ctx.get("n"), &t::Value::float(0.5))) }}|{{ ctx.out(&t::ops::concat(&ctx.get("n"), &t::Value::str("<"))) }}|
{{- ctx.out(&t::filters::join(ctx, &ctx.get("items"), t::Args::new([t::Value::str(", ")], []))) }}|{{ ctx.out(&t::filters::default(ctx, &ctx.get("missing"), t::Args::new([t::Value::str("dflt")], [("boolean", t::Value::bool(true))]))) }}|
{{- ctx.out(&ctx.filter("wordwrap", &t::Value::str("a b c d"), t::Args::new([t::Value::int(3)], []))) }}|
{%- if t::tests::defined(ctx, &ctx.get("user"), t::Args::new([], [])) && ctx.test("shortstr", &t::Value::str("ab"), t::Args::new([], [])) %}tests{% endif %}|
{{- ctx.out(&t::ops::cond(ctx.get("b").truthy(), t::Value::str("yes"), t::Value::Undefined(""))) }}|{{ ctx.out(&ctx.get("user").attr("greet").call(t::Args::new([t::Value::str("<you>")], []))) }}|
{{- ctx.out(&t::Value::list([t::Value::none(), t::Value::bool(true), t::Value::float(1e-7), t::Value::tuple([t::Value::str("x")])])) }}"#
)]
struct Page<'a, 'py> {
    ctx: &'a t::Context<'py>,
}

/// The same page in Jinja.
const JINJA: &str = "{{ user.name }}|{{ user.name|upper }}|\
{%- for x in items %}{{ loop.index }}:{{ x }}{% if not loop.last %},{% endif %}{% else %}none{% endfor %}|\
{%- for k, v in pairs %}{{ k }}={{ v }}{{ loop.cycle('a', 'b') }};{% endfor %}|\
{%- if a and not b %}a-not-b{% else %}other{% endif %}|\
{%- set d = {'a': 1} %}{{ d.a }}|\
{%- autoescape true %}{{ '<&>' }}{% endautoescape %}{% autoescape false %}{{ '<&>' }}{% endautoescape %}|\
{{- n + 0.5 }}|{{ n ~ '<' }}|\
{{- items|join(', ') }}|{{ missing|default('dflt', boolean=true) }}|\
{{- 'a b c d'|wordwrap(3) }}|\
{%- if user is defined and 'ab' is shortstr %}tests{% endif %}|\
{{- 'yes' if b }}|{{ user.greet('<you>') }}|\
{{- [none, true, 1e-7, ('x',)] }}";

/// Python side of the test: an environment with a custom test, and the context of the page.
const SETUP: &str = r#"
import jinja2
env = jinja2.Environment(autoescape=True)
env.tests["shortstr"] = lambda v, n=3: isinstance(v, str) and len(v) <= n
class User:
    name = "<Ann & Bob>"
    def greet(self, who):
        return "hi " + who
def context(**extra):
    vars = {"user": User(), "items": ["x<", jinja2.utils.markupsafe.Markup("<i>y</i>"), 3],
            "pairs": [("k1", 1), ["k2", 2.0]], "a": 1, "b": "", "n": 7}
    vars.update(extra)
    return vars
"#;

fn python_ready(py: Python<'_>) -> bool {
    // The interpreter linked by pyo3 may lack jinja2; the repository's venv has it.
    if py.import("jinja2").is_ok() {
        return true;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/lib");
    let Ok(dirs) = std::fs::read_dir(root) else {
        return false;
    };
    for d in dirs.flatten() {
        let site = d.path().join("site-packages");
        if let Ok(path) = py.import("sys").and_then(|s| s.getattr("path")) {
            let _ = path.call_method1("append", (site.to_string_lossy().into_owned(),));
        }
    }
    py.import("jinja2").is_ok()
}

fn with_setup(f: impl for<'py> FnOnce(Python<'py>, &Bound<'py, PyDict>)) {
    Python::initialize();
    Python::attach(|py| {
        if !python_ready(py) {
            eprintln!("skipped: jinja2 is not importable by the embedded interpreter");
            return;
        }
        let ns = PyDict::new(py);
        py.run(&std::ffi::CString::new(SETUP).unwrap(), Some(&ns), None)
            .unwrap();
        f(py, &ns);
    });
}

fn render_both<'py>(
    py: Python<'py>,
    ns: &Bound<'py, PyDict>,
    vars: Bound<'py, PyDict>,
    autoescape: bool,
) -> (Result<String, String>, Result<String, String>) {
    let env = ns.get_item("env").unwrap().unwrap();
    let globals = env.getattr("globals").unwrap();
    let ctx = t::Context::new(
        vars.clone(),
        globals,
        env.clone(),
        autoescape,
        Some("page.html"),
    );
    let ours = t::render(&Page { ctx: &ctx });
    drop(ctx);
    let mut src = JINJA.to_string();
    if !autoescape {
        src = format!("{{% autoescape false %}}{src}{{% endautoescape %}}");
    }
    let theirs = env
        .call_method1("from_string", (src,))
        .and_then(|tpl| tpl.call_method("render", (), Some(&vars)))
        .and_then(|text| text.extract::<String>())
        .map_err(|e| e.value(py).to_string());
    (ours, theirs)
}

#[test]
fn contract_shapes_render_like_jinja2() {
    with_setup(|py, ns| {
        for autoescape in [true, false] {
            let context = ns.get_item("context").unwrap().unwrap();
            let vars = context.call0().unwrap().cast_into::<PyDict>().unwrap();
            let (ours, theirs) = render_both(py, ns, vars, autoescape);
            assert_eq!(ours, theirs, "autoescape={autoescape}");
        }
        // For-else, and a value that cannot be iterated.
        let context = ns.get_item("context").unwrap().unwrap();
        let kw = PyDict::new(py);
        kw.set_item("items", pyo3::types::PyList::empty(py))
            .unwrap();
        let vars = context.call((), Some(&kw)).unwrap().cast_into().unwrap();
        let (ours, theirs) = render_both(py, ns, vars, true);
        assert!(theirs.as_ref().unwrap().contains("|none|"), "{theirs:?}");
        assert_eq!(ours, theirs);
    });
}

#[test]
fn errors_poison_the_render() {
    with_setup(|py, ns| {
        let context = ns.get_item("context").unwrap().unwrap();
        let kw = PyDict::new(py);
        kw.set_item("items", 5).unwrap();
        let vars = context.call((), Some(&kw)).unwrap().cast_into().unwrap();
        let (ours, theirs) = render_both(py, ns, vars, true);
        assert!(ours.unwrap_err().contains("not iterable"));
        assert!(theirs.is_err());

        kw.set_item("items", py.None()).unwrap();
        kw.set_item("user", py.None()).unwrap();
        let vars = context.call((), Some(&kw)).unwrap().cast_into().unwrap();
        let (ours, theirs) = render_both(py, ns, vars, true);
        assert!(ours.is_err() && theirs.is_err(), "{ours:?} {theirs:?}");
    });
}

/// Jinja: `{% for row in rows %}<tr><td>{{ loop.index }}</td><td>{{ row.name }}</td>…`
#[derive(Template)]
#[template(
    ext = "html",
    escape = "none",
    source = r#"<table>{% for (jloop, j_row) in t::iterate(&ctx.get("rows")) %}<tr><td>{{ ctx.out(&jloop.attr("index")) }}</td><td>{{ ctx.out(&j_row.attr("name")) }}</td><td>{{ ctx.out(&j_row.attr("email")) }}</td><td>{{ ctx.out(&t::filters::upper(ctx, &j_row.attr("role"), t::Args::new([], []))) }}</td></tr>{% endfor %}</table>"#
)]
struct Rows<'a, 'py> {
    ctx: &'a t::Context<'py>,
}

const ROWS_JINJA: &str = "<table>{% for row in rows %}<tr><td>{{ loop.index }}</td>\
<td>{{ row.name }}</td><td>{{ row.email }}</td><td>{{ row.role|upper }}</td></tr>{% endfor %}</table>";

/// `cargo test --release -p bustapi-runtime --test template_askama -- --ignored --nocapture`:
/// a 100-row page through the contract against Jinja2, both from a Python dict context.
#[test]
#[ignore = "benchmark"]
fn bench_100_rows() {
    with_setup(|py, ns| {
        let env = ns.get_item("env").unwrap().unwrap();
        let rows = py
            .eval(
                c"[{'name': f'User <{i}>', 'email': f'u{i}@example.com', 'role': 'admin' if i % 3 else 'user'} for i in range(100)]",
                None,
                None,
            )
            .unwrap();
        let vars = PyDict::new(py);
        vars.set_item("rows", &rows).unwrap();
        let globals = env.getattr("globals").unwrap();
        let render = || {
            let ctx = t::Context::new(vars.clone(), globals.clone(), env.clone(), true, None);
            t::render(&Rows { ctx: &ctx }).unwrap()
        };
        let ours = render();
        let tpl = env.call_method1("from_string", (ROWS_JINJA,)).unwrap();
        let theirs: String = tpl
            .call_method("render", (), Some(&vars))
            .unwrap()
            .extract()
            .unwrap();
        assert_eq!(ours, theirs);
        let n = 2000;
        let start = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(render());
        }
        let ours_us = start.elapsed().as_secs_f64() * 1e6 / n as f64;
        ns.set_item("tpl", &tpl).unwrap();
        ns.set_item("vars", &vars).unwrap();
        let secs: f64 = py
            .eval(
                &std::ffi::CString::new(format!(
                    "__import__('timeit').timeit(lambda: tpl.render(vars), number={n})"
                ))
                .unwrap(),
                Some(ns),
                None,
            )
            .unwrap()
            .extract()
            .unwrap();
        let jinja_us = secs * 1e6 / n as f64;
        println!(
            "100-row page ({} bytes): compiled {ours_us:.1} µs, Jinja2 {jinja_us:.1} µs ({:.1}x)",
            ours.len(),
            jinja_us / ours_us
        );
    });
}
