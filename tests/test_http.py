"""The engine over real HTTP: routing, converters, return types, request fields."""

from __future__ import annotations

import uuid

import httpx

from .conftest import RunningServer


def test_text_json_list(client: httpx.Client) -> None:
    r = client.get("/")
    assert (r.status_code, r.text) == (200, "Hello, World!")
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-length"] == "13"
    r = client.get("/json")
    assert r.headers["content-type"] == "application/json"
    # Byte-identical to Flask's jsonify: sorted keys, compact, ASCII-escaped, trailing newline.
    assert (
        r.content
        == b'{"list":[1,null,true],"message":"Hello, World!","n":1.5,"unicode":"caf\\u00e9"}\n'
    )
    assert client.get("/list").content == b"[1,2,3]\n"


def test_converters_and_ordering(client: httpx.Client) -> None:
    assert client.get("/user/42", params={"q": "x"}).json() == {"id": 42, "q": "x"}
    assert client.get("/item/5").text == "int 5"
    assert client.get("/item/five").text == "name five"
    u = uuid.uuid4()
    assert client.get(f"/uuid/{u}").text == f"UUID {u}"
    assert client.get("/float/1.5").text == "1.5"
    assert client.get("/files/a/b/c.txt").text == "a/b/c.txt"
    assert client.get("/user/-1").status_code == 404
    assert client.get("/float/1").status_code == 404


def test_strict_slashes_redirect(client: httpx.Client) -> None:
    r = client.get("/slash", params={"a": "1"})
    assert r.status_code == 308
    assert r.headers["location"].endswith("/slash/?a=1")
    assert client.get("/slash/").text == "slash"


def test_405_lists_allowed_methods(client: httpx.Client) -> None:
    r = client.delete("/methods")
    assert r.status_code == 405
    assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert client.post("/methods").text == "POST"


def test_head_and_options(client: httpx.Client) -> None:
    r = client.head("/")
    assert r.status_code == 200 and r.content == b""
    assert r.headers["content-length"] == "13"
    r = client.options("/methods")
    assert r.status_code == 200
    assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_repeated_query_keys_kept(client: httpx.Client) -> None:
    r = client.get("/args?a=1&a=2&b=&c=%20x")
    assert r.json() == {"a": ["1", "2"], "b": [""], "c": [" x"]}


def test_request_fields(kitchen: RunningServer, client: httpx.Client) -> None:
    r = client.get("/request?x=1", headers={"User-Agent": "ua/1", "Cookie": "c=v"})
    info = r.json()
    assert info["method"] == "GET"
    assert info["path"] == "/request"
    assert info["full_path"] == "/request?x=1"
    assert info["url"] == f"{kitchen.url}/request?x=1"
    assert info["base_url"] == f"{kitchen.url}/request"
    assert info["url_root"] == f"{kitchen.url}/"
    assert info["host"] == f"127.0.0.1:{kitchen.port}"
    assert info["scheme"] == "http"
    assert info["remote_addr"] == "127.0.0.1"
    assert info["user_agent"] == "ua/1"
    assert info["cookies"] == {"c": "v"}
    assert info["endpoint"] == "request_info"
    assert info["environ_path"] == "/request"
    assert info["is_bustapi"] == "BustAPI"


def test_return_types(client: httpx.Client) -> None:
    r = client.get("/tuple")
    assert (r.status_code, r.text, r.headers["x-custom"]) == (201, "created", "yes")
    r = client.get("/response")
    assert (r.status_code, r.text) == (202, "custom body")
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert "flavour=oat" in r.headers["set-cookie"]
    assert client.get("/redirect").headers["location"] == "/"


def test_streaming(client: httpx.Client) -> None:
    r = client.get("/stream")
    assert r.text == "chunk 0\nchunk 1\nchunk 2\n"
    assert "content-length" not in r.headers
    assert client.get("/stream-ctx?x=ctx").text == "ctx"


def test_post_json_form_files(client: httpx.Client) -> None:
    payload = {"a": [1, 2], "s": "é" * 300}
    assert client.post("/echo", json=payload).json() == payload
    r = client.post(
        "/form",
        data={"name": ["a", "b"]},
        files={"up": ("f.txt", b"x" * 1000, "text/plain")},
    )
    assert r.json() == {
        "form": {"name": ["a", "b"]},
        "files": {"up": {"filename": "f.txt", "size": 1000, "type": "text/plain"}},
    }
    r = client.post("/data", content=b"\x00\x01" * 10, headers={"content-type": "x/y"})
    assert r.json() == {"len": 20, "ctype": "x/y"}


def test_chunked_request_body(client: httpx.Client) -> None:
    def gen():  # type: ignore[no-untyped-def]
        yield b'{"a": '
        yield b"1}"

    r = client.post("/echo", content=gen(), headers={"content-type": "application/json"})
    assert r.json() == {"a": 1}


def test_url_for_and_redirects(kitchen: RunningServer, client: httpx.Client) -> None:
    assert client.get("/url-for").json() == {
        "index": "/",
        "user": "/user/3?q=z",
        "external": f"{kitchen.url}/",
        "static": "/static/hello.txt",
    }


def test_template(client: httpx.Client) -> None:
    assert client.get("/template").text == "<a><&amp;>"


def test_keep_alive_reuses_connection(kitchen: RunningServer) -> None:
    with httpx.Client(base_url=kitchen.url, limits=httpx.Limits(max_connections=1)) as c:
        for _ in range(20):
            assert c.get("/").status_code == 200


def _werkzeug_form(body: bytes, content_type: str) -> dict[str, object]:
    """What Flask (Werkzeug's parser) makes of the same body, as the /form view reports it."""
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request as WRequest

    environ = EnvironBuilder(method="POST", data=body, content_type=content_type).get_environ()
    with WRequest(environ) as req:
        files = {
            name: {"filename": f.filename, "size": len(f.read()), "type": f.content_type}
            for name, f in req.files.items()
        }
        return {"form": req.form.to_dict(flat=False), "files": files}


MULTIPART_BODIES = [
    (
        b'--B\r\nContent-Disposition: form-data; name="f"; filename=""\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\r\n--B--\r\n"
    ),
    (
        b'--B\r\nContent-Disposition: form-data; name="t"\r\n'
        b"Content-Type: text/plain; charset=iso-8859-1\r\n\r\n\xe9\r\n--B--\r\n"
    ),
    b'--B\r\nContent-Disposition: form-data; name="x"\r\n\r\n\xff\xfe\r\n--B--\r\n',
    b"garbage",
    b"--B\r\n\r\nno disposition\r\n--B--\r\n",
]


def test_multipart_matches_werkzeug(client: httpx.Client) -> None:
    request = client.build_request(
        "POST",
        "/form",
        data={"a": "é", "b": ["1", "2"]},
        files=[
            ("up", ("one.bin", b"\x00" * 30_000, "application/octet-stream")),
            ("up", ("two.txt", b"two", "text/plain")),
            ("empty", ("", b"", "application/octet-stream")),
        ],
    )
    body = request.read()
    expected = _werkzeug_form(body, request.headers["content-type"])
    assert expected["files"]  # the case is not trivial
    assert client.send(request).json() == expected
    for body in MULTIPART_BODIES:
        ctype = "multipart/form-data; boundary=B"
        r = client.post("/form", content=body, headers={"content-type": ctype})
        assert r.json() == _werkzeug_form(body, ctype), body


def test_async_view_streaming_with_context(client: httpx.Client) -> None:
    for _ in range(3):
        r = client.get("/async-stream-ctx?x=async")
        assert r.text == "async|after"
