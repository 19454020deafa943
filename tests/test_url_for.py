"""`url_for` on the engine: Flask's answers, built in Rust where nothing else takes part.

`tests/apps/urls.py` calls `url_for` with every kind of value, relative endpoints, `_method`,
`_anchor`, `_external`, a blueprint's `url_defaults` and failing builds, in a view and in a
template. Served by `bustapi run` and called over HTTP, each answer must be the one Flask's own
test client gets from the same app. In-process, a `BustAPI` build of the app must agree with
Flask under a script root and with `SERVER_NAME` too, and `bustapi.urls.request_url` must be
what answered the plain cases (the Rust builder), not Flask's fallback.
"""

from __future__ import annotations

import typing as t

import flask
import pytest

from bustapi import BustAPI
from bustapi.urls import request_url

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


@pytest.mark.parametrize(
    "base_url", ["http://localhost/", "http://localhost/mount/x/", "https://Example.COM:443/m"]
)
@pytest.mark.parametrize("server_name", [None, "Example.com:80", "sub.example.com:8080"])
@pytest.mark.parametrize("path", PATHS)
def test_in_process_url_for_is_flasks(base_url: str, server_name: str | None, path: str) -> None:
    flask_app = urls.create_app(flask.Flask, SERVER_NAME=server_name)
    bust_app = urls.create_app(BustAPI, SERVER_NAME=server_name)
    for method in ["GET", "POST"] if path != "/de/about" else ["GET"]:
        expected = flask_answers(flask_app, path, method, base_url)
        assert flask_answers(bust_app, path, method, base_url) == expected


def test_plain_cases_are_built_in_rust() -> None:
    app = urls.create_app(BustAPI)
    app.bustapi_dispatcher()

    def build(endpoint: str, values: dict[str, t.Any], **kw: t.Any) -> str | None:
        return request_url(
            app, endpoint, values, kw.get("method"), kw.get("scheme"), kw.get("external")
        )

    with app.test_request_context("/shop/", base_url="http://localhost/mount/"):
        assert build("user", {"id": 7}) == "/mount/user/7"
        assert build(".index", {"q": "a b"}) == "/mount/shop/?q=a+b"
        assert build("item", {}, method="POST") == "/mount/item/new"
        assert build("pages", {"page": 1}) == "/mount/pages/"
        assert build("user", {"id": 7}, external=True) == "http://localhost/mount/user/7"
        assert build("user", {"id": 7}, scheme="https") == "https://localhost/mount/user/7"
        # Left to Flask: a value only Python converts, a blueprint with url_defaults, no rule,
        # `_scheme` with `_external=False` (Flask raises ValueError).
        assert build("user", {"id": "7"}) is None
        assert build("lang.about", {}) is None
        assert build("nope", {}) is None
        assert build("user", {"id": 7}, scheme="https", external=False) is None
    with app.app_context():
        assert build("index", {}) is None  # no request: Flask's external URL
