//! Router-level tests; expected results are Werkzeug 3.1.5's for the same map and URL.

use super::*;

fn rule(rule: &str, endpoint: &str) -> RuleSpec {
    RuleSpec::new(rule, endpoint)
}

fn with_methods(mut spec: RuleSpec, methods: &[&str]) -> RuleSpec {
    spec.methods = Some(methods.iter().map(|m| m.to_string()).collect());
    spec
}

fn router(rules: Vec<RuleSpec>) -> Router {
    Router::new(MapSpec {
        rules,
        ..MapSpec::default()
    })
    .unwrap()
}

fn matched(rule: usize, args: &[(&str, Value)]) -> MatchResult {
    MatchResult::Matched {
        rule,
        args: args
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    }
}

fn redirect(path: &str) -> MatchResult {
    MatchResult::Redirect { path: path.into() }
}

fn s(text: &str) -> Value {
    Value::Str(text.into())
}

#[test]
fn converter_weights_order_rules() {
    let r = router(vec![
        rule("/item/<int:id>", "i"),
        rule("/item/<name>", "n"),
        rule("/item/<path:p>", "p"),
    ]);
    assert_eq!(
        r.match_path("/item/5", "GET"),
        matched(0, &[("id", Value::Int(5))])
    );
    assert_eq!(
        r.match_path("/item/x", "GET"),
        matched(1, &[("name", s("x"))])
    );
    assert_eq!(
        r.match_path("/item/-5", "GET"),
        matched(1, &[("name", s("-5"))])
    );
    assert_eq!(
        r.match_path("/item/a/b", "GET"),
        matched(2, &[("p", s("a/b"))])
    );
    // the order of the rules does not matter, the weights do
    let r = router(vec![
        rule("/item/<path:p>", "p"),
        rule("/item/<name>", "n"),
        rule("/item/<int:id>", "i"),
    ]);
    assert_eq!(
        r.match_path("/item/5", "GET"),
        matched(2, &[("id", Value::Int(5))])
    );
}

#[test]
fn static_before_dynamic() {
    let r = router(vec![rule("/<a>/b", "dyn"), rule("/x/<b>", "static")]);
    assert_eq!(r.match_path("/x/b", "GET"), matched(1, &[("b", s("b"))]));
    // backtracking: the static branch fails, the dynamic one matches
    let r = router(vec![rule("/<a>/c", "dyn"), rule("/x/<b>/d", "static")]);
    assert_eq!(r.match_path("/x/c", "GET"), matched(0, &[("a", s("x"))]));
}

#[test]
fn strict_slashes() {
    let mut b = rule("/b", "b");
    b.strict_slashes = false;
    let mut c = rule("/c/", "c");
    c.strict_slashes = false;
    let r = router(vec![rule("/a/", "a"), b, c]);
    assert_eq!(r.match_path("/a", "GET"), redirect("/a/"));
    assert_eq!(r.match_path("/a/", "GET"), matched(0, &[]));
    assert_eq!(r.match_path("/b/", "GET"), matched(1, &[]));
    assert_eq!(r.match_path("/c", "GET"), matched(2, &[]));
    assert_eq!(r.match_path("", "GET"), MatchResult::NotFound);
    assert_eq!(r.match_path("//a", "GET"), redirect("/a/"));
    assert_eq!(r.match_path("/a//", "GET"), redirect("/a/"));
}

#[test]
fn empty_path_redirects_to_root() {
    let r = router(vec![with_methods(rule("/", "root"), &["GET", "HEAD"])]);
    assert_eq!(r.match_path("", "GET"), redirect("/"));
    assert_eq!(r.match_path("/", "get"), matched(0, &[]));
    assert_eq!(r.match_path("/", ""), matched(0, &[]));
}

#[test]
fn method_not_allowed() {
    let r = router(vec![
        with_methods(rule("/x/<int:a>", "x"), &["POST"]),
        with_methods(rule("/x/<b>", "y"), &["PUT"]),
    ]);
    let allowed = |m: &[&str]| MatchResult::MethodNotAllowed {
        allowed: m.iter().map(|x| x.to_string()).collect(),
    };
    assert_eq!(r.match_path("/x/1", "GET"), allowed(&["POST", "PUT"]));
    assert_eq!(
        r.match_path("/x/1", "POST"),
        matched(0, &[("a", Value::Int(1))])
    );
    assert_eq!(r.match_path("/x/1", "PUT"), matched(1, &[("b", s("1"))]));
    assert_eq!(r.match_path("/x/z", "POST"), allowed(&["PUT"]));
    assert_eq!(r.match_path("/y", "POST"), MatchResult::NotFound);
    assert_eq!(r.allowed_methods("/x/1"), ["POST", "PUT"]);
    assert_eq!(r.allowed_methods("/nope"), Vec::<String>::new());
    // a rule without methods matches `--`, so Werkzeug reports nothing
    let r = router(vec![rule("/any", "any")]);
    assert_eq!(r.allowed_methods("/any"), Vec::<String>::new());
}

#[test]
fn merge_slashes() {
    let mut keep = rule("/a/<x>/c", "axc");
    keep.merge_slashes = false;
    let r = router(vec![rule("/a/b", "ab"), keep]);
    assert_eq!(r.match_path("/a//b", "GET"), redirect("/a/b"));
    // re.sub("/{2,}?", "/") merges pairs: "///" becomes "//"
    assert_eq!(r.match_path("/a///b", "GET"), MatchResult::NotFound);
    assert_eq!(r.match_path("/a//c", "GET"), MatchResult::NotFound);
    let r = Router::new(MapSpec {
        rules: vec![rule("/a/b", "ab")],
        merge_slashes: false,
        ..MapSpec::default()
    })
    .unwrap();
    assert_eq!(r.match_path("/a//b", "GET"), MatchResult::NotFound);
}

#[test]
fn default_redirects() {
    let mut all = rule("/all/", "all");
    all.defaults = vec![("page".into(), Value::Int(1))];
    let r = router(vec![all.clone(), rule("/all/page/<int:page>", "all")]);
    assert_eq!(r.match_path("/all/page/1", "GET"), redirect("/all/"));
    assert_eq!(
        r.match_path("/all/page/2", "GET"),
        matched(1, &[("page", Value::Int(2))])
    );
    assert_eq!(
        r.match_path("/all/", "GET"),
        matched(0, &[("page", Value::Int(1))])
    );
    // Flask's decorator order adds the dynamic rule first; Werkzeug sorts rules with defaults first
    let r = router(vec![rule("/all/page/<int:page>", "all"), all.clone()]);
    assert_eq!(r.match_path("/all/page/1", "GET"), redirect("/all/"));
    // a float default equals an int value
    all.defaults = vec![("page".into(), Value::Float(1.0))];
    let r = router(vec![all.clone(), rule("/all/page/<int:page>", "all")]);
    assert_eq!(r.match_path("/all/page/1", "GET"), redirect("/all/"));
    // redirect_defaults=False
    let spec = MapSpec {
        rules: vec![all, rule("/all/page/<int:page>", "all")],
        redirect_defaults: false,
        ..MapSpec::default()
    };
    assert_eq!(
        Router::new(spec).unwrap().match_path("/all/page/1", "GET"),
        matched(1, &[("page", Value::Int(1))])
    );
}

#[test]
fn default_redirect_builds_dynamic_parts() {
    let mut by_lang = rule("/<lang>/docs/", "docs");
    by_lang.defaults = vec![("page".into(), s("index"))];
    let r = router(vec![by_lang, rule("/<lang>/docs/<page>", "docs")]);
    assert_eq!(
        r.match_path("/é n/docs/index", "GET"),
        redirect("/%C3%A9%20n/docs/")
    );
    assert_eq!(
        r.match_path("/en/docs/intro", "GET"),
        matched(1, &[("lang", s("en")), ("page", s("intro"))])
    );
}

#[test]
fn default_redirects_left_to_werkzeug_when_inexact() {
    let mut all = rule("/all/", "all");
    all.opaque_defaults = vec!["page".into()];
    let spec = MapSpec {
        rules: vec![all, rule("/all/page/<int:page>", "all")],
        ..MapSpec::default()
    };
    assert!(matches!(
        Router::new(spec),
        Err(RouterError::Unsupported(_))
    ));
    // int converter building a string value could raise in Werkzeug
    let mut num = rule("/n/<int:x>/", "n");
    num.defaults = vec![("y".into(), s("a"))];
    let spec = MapSpec {
        rules: vec![num, rule("/m/<x>/<y>", "n")],
        ..MapSpec::default()
    };
    assert!(matches!(
        Router::new(spec),
        Err(RouterError::Unsupported(_))
    ));
}

#[test]
fn defaults_are_added_to_args() {
    let mut r0 = rule("/p/<int:x>", "p");
    r0.defaults = vec![("x".into(), Value::Int(4)), ("y".into(), Value::Float(2.5))];
    r0.opaque_defaults = vec!["z".into()];
    let r = Router::new(MapSpec {
        rules: vec![r0],
        redirect_defaults: false,
        ..MapSpec::default()
    })
    .unwrap();
    assert_eq!(
        r.match_path("/p/3", "GET"),
        matched(0, &[("x", Value::Int(4)), ("y", Value::Float(2.5))])
    );
    assert_eq!(r.variables(0).collect::<Vec<_>>(), ["x"]);
}

#[test]
fn validation_error_does_not_fall_back() {
    // both rules share a matcher state (same regex); the first one's converter rejects: 404
    let r = router(vec![rule("/<int(min=5):n>", "a"), rule("/<int:n>", "b")]);
    assert_eq!(r.match_path("/3", "GET"), MatchResult::NotFound);
    assert_eq!(
        r.match_path("/7", "GET"),
        matched(0, &[("n", Value::Int(7))])
    );
}

#[test]
fn path_converter_with_trailing_slash() {
    let r = router(vec![rule("/<path:p>/", "p"), rule("/<path:p>/edit", "e")]);
    assert_eq!(r.match_path("/a/b", "GET"), redirect("/a/b/"));
    assert_eq!(r.match_path("/a/b/", "GET"), matched(0, &[("p", s("a/b"))]));
    assert_eq!(r.match_path("/a/b//", "GET"), redirect("/a/b/"));
    assert_eq!(r.match_path("/a/edit", "GET"), matched(1, &[("p", s("a"))]));
}

#[test]
fn converters() {
    let r = router(vec![
        rule("/u/<uuid:u>", "u"),
        rule("/f/<float(signed=True):f>", "f"),
        rule("/a/<any(x, 'y z'):a>", "a"),
        rule("/s/<string(length=2):s>", "s"),
        rule("/v<int(fixed_digits=2):n>.json", "v"),
    ]);
    let uuid = "1C4D0F2A-1111-2222-3333-444455556666";
    assert_eq!(
        r.match_path(&format!("/u/{uuid}"), "GET"),
        matched(0, &[("u", Value::Uuid(uuid.to_lowercase()))])
    );
    assert_eq!(
        r.match_path("/f/-1.5", "GET"),
        matched(1, &[("f", Value::Float(-1.5))])
    );
    assert_eq!(r.match_path("/f/1", "GET"), MatchResult::NotFound);
    assert_eq!(
        r.match_path("/a/y z", "GET"),
        matched(2, &[("a", s("y z"))])
    );
    assert_eq!(r.match_path("/a/yz", "GET"), MatchResult::NotFound);
    assert_eq!(r.match_path("/s/ab", "GET"), matched(3, &[("s", s("ab"))]));
    assert_eq!(r.match_path("/s/abc", "GET"), MatchResult::NotFound);
    assert_eq!(
        r.match_path("/v07.json", "GET"),
        matched(4, &[("n", Value::Int(7))])
    );
    assert_eq!(r.match_path("/v7.json", "GET"), MatchResult::NotFound);
    let big = "123456789012345678901234567890";
    let r = router(vec![rule("/<int:n>", "n")]);
    assert_eq!(
        r.match_path(&format!("/{big}"), "GET"),
        matched(0, &[("n", Value::BigInt(big.into()))])
    );
    assert_eq!(
        r.match_path("/\u{661}\u{662}", "GET"),
        matched(0, &[("n", Value::Int(12))])
    );
}

#[test]
fn unsupported_and_invalid_maps() {
    let unsupported = |spec: MapSpec| matches!(Router::new(spec), Err(RouterError::Unsupported(_)));
    let one = |r: RuleSpec| MapSpec {
        rules: vec![r],
        ..MapSpec::default()
    };
    assert!(unsupported(one(rule("/<custom:x>", "c"))));
    assert!(unsupported(MapSpec {
        host_matching: true,
        ..one(rule("/", "r"))
    }));
    assert!(unsupported(MapSpec {
        overridden_converters: vec!["int".into()],
        ..one(rule("/<int:x>", "r"))
    }));
    let mut sub = rule("/", "r");
    sub.subdomain = "api".into();
    assert!(unsupported(one(sub)));
    let mut redirect = rule("/", "r");
    redirect.redirect_to = true;
    assert!(unsupported(one(redirect)));
    let mut ws = rule("/", "r");
    ws.websocket = true;
    assert!(unsupported(one(ws)));
    // a build-only rule never matches, so what it uses does not matter
    let mut build_only = rule("/<custom:x>", "c");
    build_only.build_only = true;
    assert!(Router::new(one(build_only)).is_ok());
    assert!(matches!(
        Router::new(one(rule("no-slash", "r"))),
        Err(RouterError::Invalid(_))
    ));
    assert!(matches!(
        Router::new(one(rule("/<int:x", "r"))),
        Err(RouterError::Invalid(_))
    ));
}

#[test]
fn never_panics() {
    let r = router(vec![
        rule("/", "root"),
        rule("/<int(min=1, max=1e3):n>", "n"),
        rule("/<float:f>/", "f"),
        rule("/p/<path:p>/", "p"),
        rule("/u/<uuid:u>", "u"),
        rule("/s/<a>-<b>", "s"),
    ]);
    let long_digits = "9".repeat(10_000);
    let many_slashes = "/".repeat(10_000);
    let deep = "a/".repeat(10_000);
    let inputs = [
        "",
        "/",
        "//",
        "%",
        "%%2F",
        "\0",
        "/\0/",
        "/é",
        "/\u{10ffff}",
        "/\n",
        "/p/\n/",
        "/p//",
        "/p/a//",
        "/1e400/",
        "/99999999999999999999999999",
        "/-1",
        "/0.0/",
        "/s/-",
        "/s/a-b-c",
        &long_digits,
        &many_slashes,
        &deep,
        "/u/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
    ];
    for path in inputs {
        for method in ["GET", "", "é", "--", "\0"] {
            let _ = r.match_path(path, method);
            let _ = r.match_path(&format!("/{path}"), method);
        }
        let _ = r.allowed_methods(path);
    }
    assert_eq!(
        r.match_path(&format!("/{}.0/", "1".repeat(400)), "GET"),
        matched(2, &[("f", Value::Float(f64::INFINITY))])
    );
}

fn build(router: &Router, endpoint: &str, values: &[(&str, Value)], method: Option<&str>) -> Built {
    let values: Vec<(String, BuildValue)> = values
        .iter()
        .map(|(k, v)| (k.to_string(), BuildValue::One(v.clone())))
        .collect();
    router.build(endpoint, &values, method, "GET")
}

fn path(p: &str) -> Built {
    Built::Path(p.into())
}

#[test]
fn build_like_werkzeug_docs() {
    // The examples of `MapAdapter.build`'s docstring.
    let r = router(vec![
        rule("/", "index"),
        rule("/downloads/", "downloads/index"),
        rule("/downloads/<int:id>", "downloads/show"),
    ]);
    assert_eq!(build(&r, "index", &[], None), path("/"));
    assert_eq!(
        build(&r, "downloads/show", &[("id", Value::Int(42))], None),
        path("/downloads/42")
    );
    assert_eq!(
        build(&r, "index", &[("q", s("My Searchstring"))], None),
        path("/?q=My+Searchstring")
    );
    let many = vec![(
        "q".to_string(),
        BuildValue::Many(vec![s("a"), s("b"), s("c")]),
    )];
    assert_eq!(r.build("index", &many, None, "GET"), path("/?q=a&q=b&q=c"));
}

#[test]
fn build_picks_rules_like_werkzeug() {
    let mut paged = rule("/all/", "all");
    paged.defaults = vec![("page".into(), Value::Int(1))];
    let r = router(vec![
        paged,
        rule("/all/page/<int:page>", "all"),
        with_methods(rule("/item", "item_post"), &["POST"]),
        with_methods(rule("/item/<int:id>", "item"), &["GET"]),
        with_methods(rule("/item/<id>", "item"), &["POST"]),
    ]);
    // The default is swallowed when equal, and selects the other rule when not.
    assert_eq!(
        build(&r, "all", &[("page", Value::Int(1))], None),
        path("/all/")
    );
    assert_eq!(
        build(&r, "all", &[("page", Value::Float(1.0))], None),
        path("/all/")
    );
    assert_eq!(
        build(&r, "all", &[("page", Value::Int(3))], None),
        path("/all/page/3")
    );
    // `_method` picks by method; without it the adapter's default method goes first.
    let id = [("id", s("x y"))];
    assert_eq!(build(&r, "item", &id, Some("POST")), path("/item/x%20y"));
    assert_eq!(build(&r, "item", &id, Some("post")), Built::AskWerkzeug);
    // An int converter given a str: Werkzeug calls int() on it, so Python builds it.
    assert_eq!(build(&r, "item", &id, Some("GET")), Built::AskWerkzeug);
    assert_eq!(
        build(&r, "item", &[("id", Value::Int(7))], None),
        path("/item/7")
    );
    // No such endpoint, or no rule fits: Werkzeug raises BuildError.
    assert_eq!(build(&r, "nope", &[], None), Built::AskWerkzeug);
    assert_eq!(build(&r, "item", &[], None), Built::AskWerkzeug);
}
