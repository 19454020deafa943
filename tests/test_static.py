"""Static files answered in Rust with the headers Flask's send_static_file gives."""

from __future__ import annotations

import httpx

from .conftest import RunningServer, raw_exchange


def test_static_file_headers(plain: RunningServer) -> None:
    with plain.client() as c:
        r = c.get("/static/hello.txt")
        assert (r.status_code, r.text) == (200, "hello static\n")
        assert r.headers["content-type"] == "text/plain; charset=utf-8"
        assert r.headers["cache-control"] == "no-cache"
        assert "accept-ranges" not in r.headers  # as Werkzeug: only on 206
        assert r.headers["etag"].startswith('"')
        assert "last-modified" in r.headers
        assert c.get("/static/site.css").headers["content-type"] == "text/css; charset=utf-8"


def test_conditional_requests(plain: RunningServer) -> None:
    with plain.client() as c:
        first = c.get("/static/hello.txt")
        r = c.get("/static/hello.txt", headers={"If-None-Match": first.headers["etag"]})
        assert (r.status_code, r.content) == (304, b"")
        r = c.get(
            "/static/hello.txt", headers={"If-Modified-Since": first.headers["last-modified"]}
        )
        assert r.status_code == 304


def test_range_requests(plain: RunningServer) -> None:
    with plain.client() as c:
        r = c.get("/static/big.bin", headers={"Range": "bytes=10-19"})
        assert r.status_code == 206
        assert r.content == bytes(range(10, 20))
        assert r.headers["content-range"] == "bytes 10-19/10240"
        assert r.headers["accept-ranges"] == "bytes"


def test_blueprint_static(plain: RunningServer) -> None:
    with plain.client() as c:
        assert c.get("/bp/static/hello.txt").text == "hello static\n"


def test_no_path_traversal(plain: RunningServer) -> None:
    for target in (
        b"/static/../plain.py",
        b"/static/%2e%2e/plain.py",
        b"/static/..%2fplain.py",
        b"/static/....//plain.py",
    ):
        out = raw_exchange(
            plain.port, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        assert out.split(b" ", 2)[1] == b"404", target
    # `//etc/passwd` after decoding: merged slashes redirect, as Werkzeug does; never the file.
    out = raw_exchange(
        plain.port, b"GET /static/%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert out.split(b" ", 2)[1] in (b"308", b"404")
    assert b"root:" not in out
    with plain.client() as c:
        assert c.get("/static/nope.txt").status_code == 404


def test_errors_and_options_answered_like_flask(plain: RunningServer) -> None:
    with plain.client() as c:
        r = c.get("/missing")
        assert r.status_code == 404
        assert "<title>404 Not Found</title>" in r.text
        r = c.delete("/thing")
        assert r.status_code == 405
        assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "PUT"}
        r = c.options("/thing")
        assert r.status_code == 200
        assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "PUT"}
        r = c.get("/dir")
        assert r.status_code == 308 and r.headers["location"].endswith("/dir/")


def test_head_static(plain: RunningServer) -> None:
    with httpx.Client(base_url=plain.url) as c:
        r = c.head("/static/hello.txt")
        assert r.status_code == 200 and r.content == b""
        assert r.headers["content-length"] == "13"
