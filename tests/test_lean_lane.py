"""The dispatch's lean lane (an app with no hooks, so only the view runs; the request built
only when read) keeps Flask's semantics. Every answer of `tests/apps/lean.py` over HTTP is
compared with Flask's own test client for the same app, run in a new thread per request as
Werkzeug's threaded server runs it (a new thread starts with empty context variables)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import typing as t

import httpx
import pytest
from flask.testing import FlaskClient

from tests.apps.lean import app as flask_app

from .conftest import ROOT, RunningServer


@pytest.fixture(scope="module")
def lean() -> t.Iterator[RunningServer]:
    server = RunningServer("tests.apps.lean:app")
    yield server
    server.stop()


def in_new_thread(call: t.Callable[[], t.Any]) -> t.Any:
    answer: list[t.Any] = []
    worker = threading.Thread(target=lambda: answer.append(call()))
    worker.start()
    worker.join()
    return answer[0]


class Answer(t.NamedTuple):
    status_code: int
    text: str
    headers: t.Any
    json: t.Any


def flask_get(path: str, client: FlaskClient | None = None, **kw: t.Any) -> Answer:
    """Flask's answer, read to the end in the thread that made it (a streamed body is produced
    in that thread's context)."""
    c = client or flask_app.test_client()

    def call() -> Answer:
        r = c.open(path, **kw)
        return Answer(r.status_code, r.get_data(as_text=True), r.headers, r.get_json(silent=True))

    return t.cast(Answer, in_new_thread(call))


def same(ours: httpx.Response, theirs: Answer, base: str) -> None:
    # Flask's test client serves http://localhost/; the engine serves the real host and port.
    assert ours.status_code == theirs.status_code
    assert ours.text == theirs.text.replace("http://localhost", base)


CASES = [
    ("GET", "/hello"),
    ("GET", "/isolation"),
    ("GET", "/args?x=1&x=%C3%A9"),
    ("POST", "/methods"),
    ("PUT", "/methods"),
    ("HEAD", "/methods"),
    ("GET", "/thread?q=1"),
    ("GET", "/raise"),
    ("GET", "/abort"),
    ("GET", "/urls"),
    ("GET", "/environ?a=b"),
    ("GET", "/stream-ctx?x=ctx"),
    ("GET", "/stream-bare"),
    ("GET", "/session-get"),
]


def test_same_answers_as_flask_request_after_request(lean: RunningServer) -> None:
    with lean.client() as c:
        # Each path several times, all in turn on one connection (and the pool's threads), so
        # whatever state one request left behind would reach the next.
        for _ in range(5):
            for method, path in CASES:
                same(c.request(method, path), flask_get(path, method=method), lean.url)


def test_automatic_options_leave_the_lane(lean: RunningServer) -> None:
    with lean.client() as c:
        r = c.options("/methods")
    theirs = flask_get("/methods", method="OPTIONS")
    assert r.status_code == theirs.status_code == 200
    assert set(r.headers["allow"].split(", ")) == set(theirs.headers["Allow"].split(", "))


def test_upload_json_and_after_this_request(lean: RunningServer) -> None:
    files = {"f": ("a.bin", b"x" * 3000, "application/octet-stream")}
    with lean.client() as c:
        same(
            c.post("/upload", files=files, data={"note": "hi"}),
            flask_get("/upload", method="POST", data={"f": (_bytes(3000), "a.bin"), "note": "hi"}),
            lean.url,
        )
        ours = c.post("/json", json={"a": [1, 2]})
        assert ours.json() == flask_get("/json", method="POST", json={"a": [1, 2]}).json
        ours = c.get("/after-this")
        assert (ours.text, ours.headers["x-tag"]) == ("tagged", "/after-this")


def _bytes(n: int) -> t.Any:
    import io

    return io.BytesIO(b"x" * n)


def test_session_round_trip_matches_flask(lean: RunningServer) -> None:
    theirs = flask_app.test_client()
    with lean.client() as c:
        for _ in range(3):
            same(c.get("/session-set"), flask_get("/session-set", theirs), lean.url)
            same(c.get("/session-get"), flask_get("/session-get", theirs), lean.url)


def test_flask_answers_spelled_out() -> None:
    # What the comparisons above hold the engine to, for the context semantics.
    assert flask_get("/isolation").text == "fresh|fresh"
    assert flask_get("/stream-ctx?x=ctx").text == "ctx|True"
    assert flask_get("/stream-bare").text == "False|False|streamed"
    assert flask_get("/thread?q=1").text == "/thread?q=1"
    assert flask_get("/raise")[:2] == (409, "handled missing at /raise")


_COUNT_LANE = """
import json, sys
import httpx
from bustapi.dispatch import Dispatcher
from bustapi.serving import start_background
from tests.apps.lean import app

entries = []
handle_lean = Dispatcher._handle_lean

def counting(self, raw, *args):
    entries.append(raw.path)
    return handle_lean(self, raw, *args)

Dispatcher._handle_lean = counting
import bustapi
bustapi.adopt(app)
with start_background(app) as server, httpx.Client(base_url=server.url) as c:
    for method, path in json.loads(sys.argv[1]):
        assert c.request(method, path).status_code < 500
print(json.dumps(entries))
"""


def test_every_case_ran_on_the_lean_lane() -> None:
    # The comparisons above are about the lean lane only if the engine took it: count, in a
    # process of its own (this one may have signal receivers connected by other tests, which
    # rightly keep requests off the lane).
    out = subprocess.run(
        [sys.executable, "-c", _COUNT_LANE, json.dumps(CASES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert json.loads(out) == [path.partition("?")[0] for _, path in CASES]


def test_untrusted_host_is_refused_before_the_view() -> None:
    from tests.apps.trusted import app as trusted_app

    server = RunningServer("tests.apps.trusted:app")
    try:
        with server.client() as c:
            for host in ("127.0.0.1", "a.other.test", "bad.test"):
                ours = c.get("/", headers={"Host": host})
                theirs = trusted_app.test_client().get("/", base_url=f"http://{host}")
                assert (ours.status_code, ours.text) == (theirs.status_code, theirs.text)
    finally:
        server.stop()
    assert trusted_app.test_client().get("/", base_url="http://bad.test").status_code == 400
