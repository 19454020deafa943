"""`bustapi.routing.freeze_map` / `compile_router` and the `bustapi._core.Router` binding."""

from __future__ import annotations

import uuid
from typing import Any

import flask
import pytest
from werkzeug.routing import BaseConverter, IntegerConverter, Map, Rule

from bustapi._core import Router
from bustapi.routing import compile_router, freeze_map


def compiled(url_map: Map) -> Router:
    router = compile_router(url_map)
    assert router is not None
    return router


def matched(router: Router, path: str, method: str = "GET") -> tuple[Rule, dict[str, Any]]:
    """The rule and view arguments of a match (fails on any other outcome)."""
    result = router.match(path, method)
    assert result[0] == "match", result
    rule = router.rules[result[1]]
    assert rule is not None
    return rule, result[2]


def werkzeug_match(url_map: Map, path: str, method: str = "GET") -> tuple[Rule, Any]:
    return url_map.bind("localhost").match(path, method, return_rule=True)


class ListConverter(BaseConverter):
    def to_python(self, value: str) -> list[str]:
        return value.split(",")


class MyInt(IntegerConverter):
    pass


def make_app() -> flask.Flask:
    app = flask.Flask(__name__)

    @app.route("/")
    def index() -> str:
        return "index"

    @app.route("/users/", defaults={"page": 1})
    @app.route("/users/page/<int:page>")
    def users(page: int) -> str:
        return str(page)

    @app.post("/items/<uuid:item>")
    def item(item: uuid.UUID) -> str:
        return str(item)

    return app


def test_flask_app_map() -> None:
    app = make_app()
    spec = freeze_map(app.url_map)
    by_endpoint = {rule["endpoint"]: rule for rule in spec["rules"]}
    assert by_endpoint["index"]["methods"] == ["GET", "HEAD", "OPTIONS"]
    assert by_endpoint["static"]["rule"] == "/static/<path:filename>"
    router = compiled(app.url_map)
    assert len(router.rules) == len(spec["rules"])
    rule, args = matched(router, "/static/css/site.css")
    assert (rule.endpoint, args) == ("static", {"filename": "css/site.css"})
    # the documented Flask pattern: Werkzeug sorts the rule with defaults first, so /users/page/1
    # redirects to /users/
    assert router.match("/users/page/1", "GET") == ("redirect", "/users/")
    assert router.match("/users", "GET") == ("redirect", "/users/")
    assert matched(router, "/users/page/2")[0] is werkzeug_match(app.url_map, "/users/page/2")[0]
    value = "0f0e0d0c-0b0a-0908-0706-050403020100"
    _, args = matched(router, f"/items/{value.upper()}", "POST")
    assert args == {"item": uuid.UUID(value)} and type(args["item"]) is uuid.UUID
    assert router.match(f"/items/{value}", "GET") == ("method_not_allowed", ["OPTIONS", "POST"])
    assert router.allowed_methods(f"/items/{value}") == ["OPTIONS", "POST"]
    assert router.match("/nope", "GET") == ("not_found",)


def test_unused_custom_converter_is_fine() -> None:
    app = make_app()
    app.url_map.converters["list"] = ListConverter
    assert compile_router(app.url_map) is not None


@pytest.mark.parametrize(
    ("url_map", "reason"),
    [
        (Map([Rule("/<list:items>", endpoint="l")], converters={"list": ListConverter}), "list"),
        (Map([Rule("/<int:n>", endpoint="n")], converters={"int": MyInt}), "int"),
        (Map([Rule("/", endpoint="h", host="example.com")], host_matching=True), "host"),
        (Map([Rule("/", endpoint="s", subdomain="api")]), "subdomain"),
        (Map([Rule("/old", endpoint="o", redirect_to="/new")]), "redirect_to"),
        (Map([Rule("/ws", endpoint="w", websocket=True)]), "websocket"),
        (Map([Rule("/a", endpoint="a", alias=True), Rule("/b", endpoint="a")]), "alias"),
        (Map([type("MyRule", (Rule,), {})("/", endpoint="r")]), "MyRule"),
        (Map([Rule("/<any(über):x>", endpoint="u")]), "non-ASCII"),
        (
            Map([Rule("/a/", endpoint="a", defaults={"x": None}), Rule("/a/<x>", endpoint="a")]),
            "default redirect",
        ),
    ],
)
def test_unsupported_maps(url_map: Map, reason: str) -> None:
    assert compile_router(url_map) is None
    with pytest.raises(ValueError, match=reason):
        Router(freeze_map(url_map))


def test_alias_without_redirect_defaults_is_supported() -> None:
    url_map = Map([Rule("/a", endpoint="a", alias=True)], redirect_defaults=False)
    assert compiled(url_map).match("/a", "GET") == ("match", 0, {})


def test_rule_order_across_endpoints() -> None:
    # Map keeps rules grouped by endpoint; matching depends on the order they were added.
    url_map = Map(
        [
            Rule("/r", endpoint="x", methods=["GET"]),
            Rule("/r", endpoint="y", methods=["POST"]),
            Rule("/r", endpoint="x"),
            Rule("/q", endpoint="e1"),
            Rule("/<any(a, b):v>", endpoint="e2"),
            Rule("/<string(length=1):w>", endpoint="e1"),
        ]
    )
    router = compiled(url_map)
    for path, method in [("/r", "POST"), ("/r", "PUT"), ("/a", "GET"), ("/c", "GET")]:
        rule, args = matched(router, path, method)
        expected_rule, expected_args = werkzeug_match(url_map, path, method)
        assert rule is expected_rule
        assert args == expected_args


def test_defaults_are_the_original_objects_in_werkzeug_order() -> None:
    marker = object()
    defaults = {"flag": True, "n": 7, "obj": marker, "s": "x"}
    url_map = Map([Rule("/p/<int:n>", endpoint="p", defaults=defaults)], redirect_defaults=False)
    _, args = matched(compiled(url_map), "/p/3")
    expected = werkzeug_match(url_map, "/p/3")[1]
    assert list(args.items()) == list(expected.items())
    assert args["obj"] is marker


def test_values_and_never_raising_on_odd_paths() -> None:
    url_map = Map([Rule("/<int:n>", endpoint="n"), Rule("/f/<float:f>", endpoint="f")])
    router = compiled(url_map)
    big = "1" * 40
    rule, args = matched(router, f"/{big}")
    assert (rule.endpoint, args) == ("n", {"n": int(big)})
    rule, args = matched(router, "/f/1.50")
    assert (rule.endpoint, args) == ("f", {"f": 1.5})
    for path in ["", "%", "\x00", "/\n", "/é", "//", "/" * 1000]:
        assert router.match(path, "GET")[0] in {"redirect", "not_found"}
    # more digits than Python's int() accepts: ValueError, as Werkzeug raises it
    with pytest.raises(ValueError):
        router.match("/" + "1" * 5000, "GET")


def test_bad_specs() -> None:
    with pytest.raises(TypeError):
        Router([])  # type: ignore[arg-type]
    spec = freeze_map(Map([Rule("/", endpoint="r")]))
    spec["rules"][0]["rule"] = "no-slash"
    with pytest.raises(ValueError, match="must start with a slash"):
        Router(spec)
