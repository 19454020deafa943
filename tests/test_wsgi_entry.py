"""The WSGI entry goes through the engine's dispatch: test client, middleware, gunicorn."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import flask
import httpx
import pytest

from bustapi import BustAPI

from .conftest import ROOT, RunningServer, free_port


def make_app() -> BustAPI:
    app = BustAPI(__name__)
    app.secret_key = "s"

    @app.get("/")
    def index() -> str:
        return "index"

    @app.get("/hello/<name>")
    def hello(name: str) -> dict[str, str]:
        flask.session["name"] = name
        return {"hello": name, "url": flask.url_for("hello", name=name)}

    @app.get("/async")
    async def aview() -> str:
        return "async " + flask.request.path

    return app


def test_test_client_does_not_use_flasks_plumbing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("Flask's original request path was used")

    monkeypatch.setattr(flask.Flask, "wsgi_app", refuse)
    monkeypatch.setattr(flask.Flask, "full_dispatch_request", refuse)
    app = make_app()
    with app.test_client() as c:
        assert c.get("/").text == "index"
        r = c.get("/hello/ann")
        assert r.json == {"hello": "ann", "url": "/hello/ann"}
        assert flask.session["name"] == "ann"  # the context is preserved, as with Flask
        assert c.get("/async").text == "async /async"
        assert c.get("/missing").status_code == 404
        assert c.post("/").status_code == 405


def test_test_request_context() -> None:
    app = make_app()
    with app.test_request_context("/hello/x?y=1"):
        assert flask.request.args["y"] == "1"
        assert flask.url_for("hello", name="z") == "/hello/z"


def test_middleware_is_served_over_http() -> None:
    server = RunningServer("tests.apps.middleware:app")
    try:
        with server.client() as c:
            r = c.get("/", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
            assert r.headers["x-middleware"] == "yes"
            assert r.json()["remote_addr"] == "203.0.113.9"
            assert r.json()["scheme"] == "https"
    finally:
        server.stop()


def test_gunicorn_serves_through_the_engine(tmp_path: object) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "tests.apps.kitchen_bust:app",
        ],
        cwd=ROOT,
        env={**os.environ},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/request")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert r.json()["is_bustapi"] == "BustAPI"
        assert httpx.get(f"http://127.0.0.1:{port}/user/3?q=a").json() == {"id": 3, "q": "a"}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
