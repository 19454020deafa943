"""Sessions are Flask's: a cookie written by Flask is read by BustAPI and vice versa.

A fleet can then move from Flask to BustAPI one instance at a time. Each direction runs with the
BustAPI side reached in-process (test client) and over real HTTP (the engine's server, through
`bustapi.testing`'s transport).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import flask
import pytest
from flask.testing import FlaskClient

from bustapi import BustAPI, testing

SECRET = "a shared secret"
VALUE = {"user": "ada", "n": 3, "tags": ["x", "y"], "when": dt.datetime(2024, 5, 1, 12, 30)}


def make(cls: type[flask.Flask]) -> flask.Flask:
    app = cls(__name__)
    app.config.update(SECRET_KEY=SECRET, TESTING=True)

    @app.post("/write")
    def write() -> str:
        flask.session.update(VALUE)
        if "plain" not in flask.request.args:
            flask.session["written_by"] = type(flask.current_app._get_current_object()).__name__
        return "ok"

    @app.get("/read")
    def read() -> dict[str, object]:
        return {"session": dict(flask.session)}

    @app.post("/bump")
    def bump() -> dict[str, object]:
        flask.session["n"] = flask.session.get("n", 0) + 1
        return {"n": flask.session["n"]}

    return app


@pytest.fixture(params=["wsgi", "http"])
def transport(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "http":
        pytest.importorskip("bustapi.serving", reason="the engine's server has not landed yet")
        monkeypatch.setenv(testing.TRANSPORT_ENV, "http")
        monkeypatch.delenv("BUSTAPI_TEST_SERVER", raising=False)
    yield request.param
    testing.stop_servers()


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie was set"
    return cookie.value


def expected(written_by: str) -> dict[str, object]:
    # Flask's tagged JSON serialiser turns the datetime back into an HTTP date string.
    return {**VALUE, "when": "Wed, 01 May 2024 12:30:00 GMT", "written_by": written_by}


def test_flask_cookie_is_read_by_bustapi(transport: str) -> None:
    writer, reader = make(flask.Flask).test_client(), make(BustAPI).test_client()
    assert writer.post("/write").status_code == 200
    reader.set_cookie("session", session_cookie(writer))

    assert reader.get("/read").json == {"session": expected("Flask")}
    assert reader.post("/bump").json == {"n": 4}  # BustAPI rewrites it …
    writer.set_cookie("session", session_cookie(reader))
    assert writer.get("/read").json["session"]["n"] == 4  # … and Flask reads that back


def test_bustapi_cookie_is_read_by_flask(transport: str) -> None:
    writer, reader = make(BustAPI).test_client(), make(flask.Flask).test_client()
    assert writer.post("/write").status_code == 200
    reader.set_cookie("session", session_cookie(writer))

    assert reader.get("/read").json == {"session": expected("BustAPI")}
    assert reader.post("/bump").json == {"n": 4}
    writer.set_cookie("session", session_cookie(reader))
    assert writer.get("/read").json["session"]["n"] == 4


def test_same_session_yields_the_same_cookie(transport: str) -> None:
    """The bytes are Flask's: the same session gives the same signed payload."""
    a, b = make(flask.Flask).test_client(), make(BustAPI).test_client()
    a.post("/write?plain")
    b.post("/write?plain")
    # itsdangerous: payload.timestamp.signature; the timestamp (and so the signature) may differ.
    payload_a, payload_b = session_cookie(a).split("."), session_cookie(b).split(".")
    assert len(payload_a) == len(payload_b) == 3
    assert payload_a[0] == payload_b[0]


def test_cookie_from_another_secret_is_rejected(transport: str) -> None:
    writer = make(flask.Flask)
    writer.config["SECRET_KEY"] = "another secret"
    w = writer.test_client()
    w.post("/write")
    reader = make(BustAPI).test_client()
    reader.set_cookie("session", session_cookie(w))
    assert reader.get("/read").json == {"session": {}}


def test_custom_session_interface_runs_on_hook_free_views() -> None:
    """Flask opens and saves the session of a custom interface on every request, even for a view
    that never touches it; the engine's lean lane must not skip that."""
    from .conftest import RunningServer

    server = RunningServer("tests.apps.custom_session:app")
    try:
        with server.client() as c:
            for path in ("/", "/json", "/"):
                r = c.get(path)
                assert r.status_code == 200
                assert r.headers.get("X-Session-Saved") is not None, path
    finally:
        server.stop()
