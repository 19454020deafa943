"""The suites exercise the engine, not Flask's plumbing.

With Flask's own ``Flask.wsgi_app`` and ``Flask.full_dispatch_request`` replaced by functions that
raise, a `BustAPI` app still serves its test client, in-process and over HTTP — so a test suite
run with `bustapi.flask_patch` measures the engine. (compat/run.py's ``engine`` mode does the same
to whole suites: ``make compat`` with ``--mode engine``.)
"""

from __future__ import annotations

import typing as t
from collections.abc import Iterator

import flask
import pytest

from bustapi import BustAPI, testing

FLASK = next(c for c in BustAPI.__mro__ if c.__module__ == "flask.app" and c.__name__ == "Flask")


def _not_the_engine(*args: t.Any, **kwargs: t.Any) -> t.NoReturn:
    raise AssertionError("Flask's own request path was called instead of BustAPI's engine")


@pytest.fixture(params=["wsgi", "http"])
def client(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[t.Any]:
    if request.param == "http":
        pytest.importorskip("bustapi.serving", reason="the engine's server has not landed yet")
        monkeypatch.setenv(testing.TRANSPORT_ENV, "http")
        monkeypatch.delenv("BUSTAPI_TEST_SERVER", raising=False)
    monkeypatch.setattr(FLASK, "wsgi_app", _not_the_engine)
    monkeypatch.setattr(FLASK, "full_dispatch_request", _not_the_engine)

    app = BustAPI(__name__)
    app.config.update(SECRET_KEY="k", TESTING=True)
    events: list[str] = []
    app.config["EVENTS"] = events

    @app.before_request
    def before() -> None:
        events.append("before")

    @app.after_request
    def after(response: flask.Response) -> flask.Response:
        response.headers["X-After"] = "1"
        return response

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        events.append("teardown")

    @app.get("/")
    def index() -> str:
        return "Hello, World!"

    @app.get("/user/<int:user_id>")
    def user(user_id: int) -> dict[str, object]:
        return {"id": user_id, "q": flask.request.args.getlist("q")}

    @app.post("/echo")
    def echo() -> t.Any:
        return flask.jsonify(flask.request.get_json())

    @app.post("/login")
    def login() -> t.Any:
        flask.session["user"] = flask.request.form["user"]
        return flask.redirect(flask.url_for("me"))

    @app.get("/me")
    def me() -> str:
        return str(flask.session.get("user"))

    @app.errorhandler(404)
    def not_found(e: Exception) -> tuple[str, int]:
        return "nothing here", 404

    yield app.test_client()
    testing.stop_servers()


def test_hello(client: t.Any) -> None:
    rv = client.get("/")
    assert rv.status_code == 200
    assert rv.data == b"Hello, World!"
    assert rv.headers["X-After"] == "1"
    assert client.application.config["EVENTS"] == ["before", "teardown"]


def test_path_params_query_and_json(client: t.Any) -> None:
    assert client.get("/user/7?q=a&q=b").json == {"id": 7, "q": ["a", "b"]}
    assert client.post("/echo", json={"x": [1, 2]}).json == {"x": [1, 2]}


def test_errors_and_methods(client: t.Any) -> None:
    rv = client.get("/missing")
    assert (rv.status_code, rv.data) == (404, b"nothing here")
    rv = client.post("/")
    assert rv.status_code == 405
    assert set(rv.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_session_and_redirect(client: t.Any) -> None:
    rv = client.post("/login", data={"user": "ada"}, follow_redirects=True)
    assert rv.data == b"ada"
    assert [r.status_code for r in rv.history] == [302]
