"""Bad input gets a clear answer and the server keeps serving."""

from __future__ import annotations

import socket
import time

import httpx

from .conftest import RunningServer, raw_exchange


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def test_malformed_request_line(kitchen: RunningServer, client: httpx.Client) -> None:
    out = raw_exchange(kitchen.port, b"THIS IS NOT HTTP\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 400")
    out = raw_exchange(kitchen.port, b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 400")
    assert client.get("/").status_code == 200


def test_oversized_headers_get_431(kitchen: RunningServer, client: httpx.Client) -> None:
    big = b"X-Big: " + b"a" * 200_000 + b"\r\n"
    out = raw_exchange(kitchen.port, b"GET / HTTP/1.1\r\nHost: x\r\n" + big + b"\r\n")
    assert out.startswith(b"HTTP/1.1 431")
    assert client.get("/").status_code == 200


def test_invalid_json(client: httpx.Client) -> None:
    r = client.post("/echo", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400
    r = client.post("/echo", content=b"{}", headers={"content-type": "text/plain"})
    assert r.status_code == 415
    r = client.post("/echo-silent", content=b"{nope", headers={"content-type": "application/json"})
    assert r.json() == {"data": None}
    r = client.post("/echo", content=b'"\xff"', headers={"content-type": "application/json"})
    assert r.status_code == 400


def test_invalid_utf8_in_path_and_query(kitchen: RunningServer, client: httpx.Client) -> None:
    out = raw_exchange(
        kitchen.port, b"GET /files/%FF%FE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert status_of(out) == 200
    assert out.endswith("\ufffd\ufffd".encode())
    out = raw_exchange(
        kitchen.port, b"GET /args?a=%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert status_of(out) == 200
    # Werkzeug keeps undecodable query bytes percent-encoded; so does the engine.
    assert b'"a":["%FF"]' in out
    assert client.get("/").status_code == 200


def test_body_over_max_content_length(client: httpx.Client) -> None:
    body = b"x" * (64 * 1024 + 1)
    r = client.post("/data", content=body, headers={"content-type": "application/octet-stream"})
    assert r.status_code == 413
    # Flask only refuses a large body when the view reads it.
    assert client.post("/ignore-body", content=body).text == "ignored"
    assert client.get("/").status_code == 200


def test_chunked_body_over_limit(client: httpx.Client) -> None:
    def gen():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b"y" * 1024

    r = client.post("/data", content=gen(), headers={"content-type": "application/octet-stream"})
    assert r.status_code == 413


def test_client_disconnects_mid_body(kitchen: RunningServer, client: httpx.Client) -> None:
    for _ in range(5):
        with socket.create_connection(("127.0.0.1", kitchen.port)) as s:
            s.sendall(b"POST /data HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\nabc")
        time.sleep(0.05)
    assert client.get("/").status_code == 200


def test_generator_raising_mid_stream_closes_cleanly(client: httpx.Client) -> None:
    try:
        with client.stream("GET", "/stream-raise") as r:
            assert r.status_code == 200
            chunks = list(r.iter_bytes())
            assert b"".join(chunks).startswith(b"first\n")
            raise AssertionError("the body should have been cut off")  # pragma: no cover
    except httpx.RemoteProtocolError:
        pass
    assert client.get("/").status_code == 200


def test_pipelined_requests(kitchen: RunningServer) -> None:
    req = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    last = b"GET /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    out = raw_exchange(kitchen.port, req * 3 + last)
    assert out.count(b"HTTP/1.1 200 OK") == 4
    assert out.count(b"Hello, World!") == 4  # three texts + the JSON message


def test_rust_panic_becomes_500(client: httpx.Client) -> None:
    r = client.get("/rust-panic")
    assert r.status_code == 500
    assert "deliberate" not in r.text
    assert client.get("/").status_code == 200


def test_body_that_never_arrives_gets_408() -> None:
    from bustapi import BustAPI, start_background

    app = BustAPI(__name__)

    @app.post("/")
    def index() -> str:
        return "unreachable"

    @app.get("/")
    def alive() -> str:
        return "alive"

    with start_background(app, body_timeout=0.5) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
            assert s.recv(1024).startswith(b"HTTP/1.1 408")
        assert httpx.get(f"{server.url}/").text == "alive"
