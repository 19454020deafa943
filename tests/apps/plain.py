"""A Flask app with no hooks: the engine answers its 404/405/OPTIONS and static files in Rust,
and runs every view on the dispatch's lean lane (nothing but the view to call)."""

from __future__ import annotations

import os
import typing as t
from contextvars import ContextVar

from flask import (
    Blueprint,
    Flask,
    Response,
    g,
    has_app_context,
    has_request_context,
    request,
    stream_with_context,
)

HERE = os.path.dirname(__file__)

app = Flask(__name__, static_folder=os.path.join(HERE, "static"))


@app.get("/")
def index() -> str:
    return "plain"


@app.route("/thing", methods=["GET", "PUT"])
def thing() -> str:
    return "thing"


@app.get("/dir/")
def directory() -> str:
    return "dir"


# Set by a view and never reset: each request must start without it, as in a fresh thread.
_mark: ContextVar[str] = ContextVar("mark", default="fresh")


@app.get("/isolation")
def isolation() -> str:
    seen = f"{_mark.get()}|{g.get('mark', 'fresh')}"
    _mark.set("leaked")
    g.mark = "leaked"
    return seen


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


bp = Blueprint("assets", __name__, static_folder=os.path.join(HERE, "static"), url_prefix="/bp")
app.register_blueprint(bp)
