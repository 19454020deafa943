"""Flask's request semantics on the engine: hooks, blueprints, errors, sessions."""

from __future__ import annotations

import httpx

from .conftest import RunningServer


def test_blueprint_hooks_and_url_value_preprocessor(client: httpx.Client) -> None:
    r = client.get("/bp/fr/hello")
    assert r.text == "hello in fr, bp-before"
    assert r.headers["x-blueprint"] == "bp"


def test_blueprint_error_handler_first(client: httpx.Client) -> None:
    r = client.get("/bp/missing")
    assert (r.status_code, r.text) == (404, "bp not found")
    assert r.headers["x-blueprint"] == "bp"


def test_error_handler_by_class(client: httpx.Client) -> None:
    r = client.get("/teapot")
    assert (r.status_code, r.text) == (418, "handled teapot")


def test_abort_codes(client: httpx.Client) -> None:
    r = client.get("/abort/403")
    assert r.status_code == 403
    assert "<title>403 Forbidden</title>" in r.text


def test_view_that_raises_gives_flask_500_without_leaking(
    kitchen: RunningServer, client: httpx.Client
) -> None:
    r = client.get("/raise")
    assert r.status_code == 500
    assert "Internal Server Error" in r.text
    assert "secret detail" not in r.text
    assert client.get("/").status_code == 200


def test_after_this_request(client: httpx.Client) -> None:
    assert client.get("/after-this").headers["x-after-this"] == "1"


def test_teardown_runs(client: httpx.Client) -> None:
    client.get("/g")
    assert "teardown /g" in client.get("/events").json()


def test_session_round_trip(client: httpx.Client) -> None:
    assert client.get("/session/get").json() == {"value": None}
    r = client.get("/session/set/berry")
    assert "session=" in r.headers["set-cookie"]
    assert "Cookie" in r.headers["vary"]
    assert client.get("/session/get").json() == {"value": "berry"}


def test_unused_session_sets_no_cookie(client: httpx.Client) -> None:
    assert "set-cookie" not in client.get("/").headers
