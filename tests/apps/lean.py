"""An app every view of which runs on the dispatch's lean lane: no request hooks, no signal
receivers, Flask's default session. Its views read the request late, from other threads, from
error handlers, through `url_for`, or never, so that the lazily built request and the contexts
set directly can be compared with Flask's own answers (tests/test_lean_lane.py)."""

from __future__ import annotations

import threading
import typing as t
from contextvars import ContextVar

from flask import (
    Flask,
    Response,
    abort,
    after_this_request,
    copy_current_request_context,
    g,
    has_app_context,
    has_request_context,
    request,
    session,
    stream_with_context,
    url_for,
)

app = Flask(__name__)
app.secret_key = "lean-secret"

# Set by a view and never reset: each request must start without it, as in a fresh thread.
_mark: ContextVar[str] = ContextVar("mark", default="fresh")


@app.get("/hello")
def hello() -> str:
    return "hello"


@app.get("/isolation")
def isolation() -> str:
    seen = f"{_mark.get()}|{g.get('mark', 'fresh')}"
    _mark.set("leaked")
    g.mark = "leaked"
    return seen


@app.get("/args")
def args() -> str:
    return f"{request.method} {request.path} {request.args.getlist('x')} {request.url}"


@app.route("/methods", methods=["GET", "POST", "PUT"])
def methods() -> str:
    return request.method


@app.get("/thread")
def thread() -> str:
    seen: list[str] = []

    @copy_current_request_context
    def read() -> None:
        seen.append(f"{request.path}?{request.query_string.decode()}")

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    return seen[0]


@app.get("/raise")
def raise_key_error() -> str:
    raise KeyError("missing")


@app.errorhandler(KeyError)
def key_error(e: KeyError) -> tuple[str, int]:
    return f"handled {e.args[0]} at {request.path}", 409


@app.get("/abort")
def aborts() -> str:
    abort(418)


@app.post("/upload")
def upload() -> str:
    f = request.files["f"]
    return f"{f.filename} {len(f.read())} {request.form.get('note')}"


@app.post("/json")
def json_echo() -> dict[str, t.Any]:
    return {"got": request.get_json()}


@app.get("/urls")
def urls() -> str:
    return f"{url_for('args', x=1)} {url_for('hello', _external=True)}"


@app.get("/after-this")
def after_this() -> str:
    @after_this_request
    def tag(response: Response) -> Response:
        response.headers["X-Tag"] = request.path
        return response

    return "tagged"


@app.get("/session-set")
def session_set() -> str:
    session["n"] = session.get("n", 0) + 1
    return str(session["n"])


@app.get("/session-get")
def session_get() -> str:
    return str(session.get("n"))


@app.get("/environ")
def environ() -> str:
    return f"{request.environ['PATH_INFO']} {request.environ['QUERY_STRING']}"


@app.get("/stream-ctx")
def stream_ctx() -> Response:
    @stream_with_context
    def generate() -> t.Iterator[str]:
        yield request.args.get("x", "none")
        yield f"|{has_request_context()}"

    return Response(generate())


@app.get("/stream-bare")
def stream_bare() -> Response:
    # Without stream_with_context the contexts are gone by the time the body is produced.
    def generate() -> t.Iterator[str]:
        yield f"{has_request_context()}|{has_app_context()}|{_mark.get()}"

    _mark.set("streamed")
    return Response(generate())
