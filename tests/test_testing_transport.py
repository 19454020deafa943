"""`bustapi.testing`: with BUSTAPI_TEST_TRANSPORT=http the test client goes over a real socket.

Run against the engine's server and against the Werkzeug stand-in (`BUSTAPI_TEST_SERVER=werkzeug`),
which tells a transport bug from an engine bug.
"""

from __future__ import annotations

import io
import threading
import typing as t
from collections.abc import Iterator

import flask
import pytest
from flask.testing import FlaskClient

from bustapi import BustAPI, testing


@pytest.fixture(params=["werkzeug", "engine"])
def app(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[BustAPI]:
    if request.param == "engine":
        pytest.importorskip("bustapi.serving", reason="the engine's server has not landed yet")
        monkeypatch.delenv("BUSTAPI_TEST_SERVER", raising=False)
    else:
        monkeypatch.setenv("BUSTAPI_TEST_SERVER", "werkzeug")
    monkeypatch.setenv(testing.TRANSPORT_ENV, "http")
    testing.stats.clear()

    app = BustAPI(__name__)
    app.config.update(SECRET_KEY="k", TESTING=True)

    @app.route("/echo", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
    def echo() -> dict[str, object]:
        r = flask.request
        return {
            "method": r.method,
            "path": r.path,
            "args": r.args.to_dict(flat=False),
            "form": r.form.to_dict(flat=False),
            "files": {k: f.read().decode() for k, f in r.files.items()},
            "data": r.get_data(as_text=True) if not r.form and not r.files else "",
            "headers": {k: v for k, v in r.headers.items() if k.startswith("X-")},
            "host": r.host,
            "remote_addr": r.remote_addr,
            "user_agent": r.user_agent.string,
            "thread": threading.current_thread().name,
        }

    @app.get("/p/<path:rest>")
    def path(rest: str) -> dict[str, str]:
        return {"rest": rest, "path": flask.request.path}

    @app.get("/cookies/set")
    def set_cookies() -> flask.Response:
        rv = flask.make_response("set")
        rv.set_cookie("a", "1")
        rv.set_cookie("b", "2", path="/cookies")
        return rv

    @app.get("/cookies/get")
    def get_cookies() -> dict[str, str]:
        return dict(flask.request.cookies)

    @app.route("/redirect/<int:code>", methods=["GET", "POST"])
    def redirect(code: int) -> flask.Response:
        return flask.redirect("/echo", code=code)

    @app.get("/boom")
    def boom() -> str:
        raise ZeroDivisionError("boom")

    @app.get("/interrupt")
    def interrupt() -> str:
        raise KeyboardInterrupt

    @app.get("/session")
    def session() -> str:
        flask.session["n"] = flask.session.get("n", 0) + 1
        flask.g.marker = "from the view"
        return str(flask.session["n"])

    @app.get("/stream")
    def stream() -> flask.Response:
        return flask.Response((f"{i}," for i in range(3)), mimetype="text/plain")

    yield app
    testing.stop_servers()


def test_requests_travel_over_the_socket(app: BustAPI) -> None:
    client = app.test_client()
    rv = client.get("/echo?a=1&a=2&b=%C3%A9", headers={"X-Thing": "yes"})
    body = rv.json
    assert body["method"] == "GET"
    assert body["args"] == {"a": ["1", "2"], "b": ["é"]}
    assert body["headers"] == {
        "X-Thing": "yes",
        "X-Bustapi-Test-Id": body["headers"]["X-Bustapi-Test-Id"],
    }
    assert body["host"] == "localhost"
    assert body["remote_addr"] == "127.0.0.1"
    assert body["user_agent"].startswith("Werkzeug/")
    assert body["thread"] != threading.current_thread().name
    assert testing.stats == {"http": 1}
    assert "Date" not in rv.headers and "Server" not in rv.headers


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_bodies(app: BustAPI, method: str) -> None:
    client = app.test_client()
    assert client.open("/echo", method=method, data=b"raw bytes").json["data"] == "raw bytes"
    assert client.open("/echo", method=method, json={"k": 1}).json["data"] == '{"k": 1}'
    form = client.open("/echo", method=method, data={"f": ["1", "2"]}).json
    assert form["form"] == {"f": ["1", "2"]}
    files = client.open(
        "/echo", method=method, data={"up": (io.BytesIO(b"file body"), "a.txt"), "f": "x"}
    ).json
    assert (files["files"], files["form"]) == ({"up": "file body"}, {"f": ["x"]})


def test_paths_are_quoted_and_round_trip(app: BustAPI) -> None:
    client = app.test_client()
    assert client.get("/p/a b/ü/%25/x;y").json == {"rest": "a b/ü/%/x;y", "path": "/p/a b/ü/%/x;y"}
    assert client.get("p/relative").json == {"rest": "relative", "path": "/p/relative"}


def test_head_and_streaming(app: BustAPI) -> None:
    client = app.test_client()
    assert client.get("/stream").data == b"0,1,2,"
    rv = client.head("/echo")
    assert rv.status_code == 200 and rv.data == b""


def test_cookies_are_kept_by_the_client(app: BustAPI) -> None:
    client = app.test_client()
    client.get("/cookies/set")
    assert client.get("/cookies/get").json == {"a": "1", "b": "2"}
    assert client.get("/echo").status_code == 200
    assert [client.get("/session").data for _ in range(3)] == [b"1", b"2", b"3"]


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_redirects_are_followed_by_the_client(app: BustAPI, code: int) -> None:
    rv = app.test_client().post(f"/redirect/{code}", data=b"body", follow_redirects=True)
    assert [r.status_code for r in rv.history] == [code]
    keeps = code in (307, 308)
    assert rv.json["method"] == ("POST" if keeps else "GET")
    assert rv.json["data"] == ("body" if keeps else "")


def test_escaped_exceptions_are_raised_in_the_caller(app: BustAPI) -> None:
    client = app.test_client()
    with pytest.raises(ZeroDivisionError, match="boom"):
        client.get("/boom")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.get("/boom").status_code == 500
    with pytest.raises(KeyboardInterrupt):  # Flask never handles it, whatever the config
        client.get("/interrupt")


def test_with_client_preserves_the_request_contexts(app: BustAPI) -> None:
    client = app.test_client()
    with client:
        assert client.get("/session?x=1").data == b"1"
        assert flask.request.args["x"] == "1"
        assert flask.session["n"] == 1
        assert flask.g.marker == "from the view"
    assert not flask.has_request_context()
    assert testing.stats == {"http": 1}


def test_what_cannot_travel_stays_in_process(app: BustAPI) -> None:
    client = app.test_client()
    assert client.get("/echo", base_url="https://localhost/").status_code == 200
    assert client.get("/echo", base_url="http://localhost/prefix/").json["path"] == "/echo"
    rv = client.get("/echo", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert rv.json["remote_addr"] == "10.0.0.1"
    with app.app_context():
        assert client.get("/echo").json["thread"] == threading.current_thread().name
    assert testing.stats == {
        "in-process:url_scheme": 1,
        "in-process:script_name": 1,
        "in-process:remote_addr": 1,
        "in-process:app_context": 1,
    }


def test_custom_client_classes_keep_their_behaviour(app: BustAPI) -> None:
    class Mine(FlaskClient):
        def open(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
            kwargs.setdefault("headers", {})["X-Mine"] = "1"
            return super().open(*args, **kwargs)

    app.test_client_class = Mine
    client = app.test_client()
    assert isinstance(client, Mine) and isinstance(client, testing.HttpFlaskClient)
    assert client.get("/echo").json["headers"]["X-Mine"] == "1"
    assert testing.stats == {"http": 1}


def test_in_process_by_default(app: BustAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(testing.TRANSPORT_ENV)
    client = app.test_client()
    assert type(client) is FlaskClient
    assert client.get("/echo").json["thread"] == threading.current_thread().name
