"""`url_for` on the engine: Flask's answers, built in Rust where nothing else takes part.

`tests/apps/urls.py` calls `url_for` with every kind of value, relative endpoints, `_method`,
`_anchor`, `_external`, a blueprint's `url_defaults` and failing builds, in a view and in a
template. Served by `bustapi run` and called over HTTP, each answer must be the one Flask's own
test client gets from the same app. In-process, a `BustAPI` build of the app must agree with
Flask under a script root too, and `bustapi.urls.relative_url` must be what answered the plain
cases (the Rust builder), not Flask's fallback.
"""

from __future__ import annotations

import typing as t

import flask
import pytest

from bustapi import BustAPI
from bustapi.urls import relative_url

from .apps import urls
from .conftest import RunningServer

PATHS = ["/urls", "/shop/", "/de/about"]


def flask_answers(app: flask.Flask, path: str, method: str, base_url: str) -> t.Any:
    with app.test_client() as client:
        return client.open(path, method=method, base_url=base_url).get_json()


@pytest.fixture(scope="module")
def server() -> t.Iterator[RunningServer]:
    s = RunningServer("tests.apps.urls:app")
    yield s
    s.stop()


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_served_url_for_is_flasks(server: RunningServer, path: str, method: str) -> None:
    if path == "/de/about" and method == "POST":
        pytest.skip("GET only")
    with server.client() as client:
        got = client.request(method, path).json()
    expected = flask_answers(urls.app, path, method, server.url)
    assert got == expected
    assert "raises BuildError" in got["answers"]  # failures stay Flask's


@pytest.mark.parametrize("base_url", ["http://localhost/", "http://localhost/mount/x/"])
@pytest.mark.parametrize("path", PATHS)
def test_in_process_url_for_is_flasks(base_url: str, path: str) -> None:
    flask_app = urls.create_app(flask.Flask)
    bust_app = urls.create_app(BustAPI)
    for method in ["GET", "POST"] if path != "/de/about" else ["GET"]:
        expected = flask_answers(flask_app, path, method, base_url)
        assert flask_answers(bust_app, path, method, base_url) == expected


def test_plain_cases_are_built_in_rust() -> None:
    app = urls.create_app(BustAPI)
    app.bustapi_dispatcher()
    with app.test_request_context("/shop/", base_url="http://localhost/mount/"):
        assert relative_url(app, "user", {"id": 7}, None) == "/mount/user/7"
        assert relative_url(app, ".index", {"q": "a b"}, None) == "/mount/shop/?q=a+b"
        assert relative_url(app, "item", {}, "POST") == "/mount/item/new"
        assert relative_url(app, "pages", {"page": 1}, None) == "/mount/pages/"
        # Left to Flask: a value only Python converts, a blueprint with url_defaults, no rule.
        assert relative_url(app, "user", {"id": "7"}, None) is None
        assert relative_url(app, "lang.about", {}, None) is None
        assert relative_url(app, "nope", {}, None) is None
    with app.app_context():
        assert relative_url(app, "index", {}, None) is None  # no request: Flask's external URL
