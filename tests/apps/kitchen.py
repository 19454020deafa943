"""An ordinary Flask application exercising what the engine must carry over unchanged.

Written against `flask` only: the tests serve it with `bustapi run` (and compare with Flask).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    after_this_request,
    g,
    jsonify,
    redirect,
    render_template_string,
    request,
    session,
    stream_with_context,
    url_for,
)

HERE = os.path.dirname(__file__)

app = Flask(__name__, static_folder=os.path.join(HERE, "static"))
app.secret_key = "kitchen-secret"
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024

events: list[str] = []


@app.get("/")
def index() -> str:
    return "Hello, World!"


@app.get("/json")
def as_json() -> dict[str, object]:
    return {"message": "Hello, World!", "n": 1.5, "unicode": "caf\u00e9", "list": [1, None, True]}


@app.get("/list")
def as_list() -> list[int]:
    return [1, 2, 3]


@app.get("/user/<int:user_id>")
def user(user_id: int) -> dict[str, object]:
    return {"id": user_id, "q": request.args.get("q")}


@app.get("/item/<int:item_id>")
def item_int(item_id: int) -> str:
    return f"int {item_id}"


@app.get("/item/<name>")
def item_name(name: str) -> str:
    return f"name {name}"


@app.get("/uuid/<uuid:u>")
def by_uuid(u: uuid.UUID) -> str:
    return f"{type(u).__name__} {u}"


@app.get("/float/<float:f>")
def by_float(f: float) -> str:
    return repr(f)


@app.get("/files/<path:p>")
def by_path(p: str) -> str:
    return p


@app.get("/slash/")
def slash() -> str:
    return "slash"


@app.route("/methods", methods=["GET", "POST"])
def methods() -> str:
    return request.method


@app.get("/args")
def args() -> dict[str, object]:
    return {k: request.args.getlist(k) for k in request.args}


@app.get("/request")
def request_info() -> dict[str, object]:
    return {
        "method": request.method,
        "path": request.path,
        "full_path": request.full_path,
        "url": request.url,
        "base_url": request.base_url,
        "url_root": request.url_root,
        "host": request.host,
        "scheme": request.scheme,
        "remote_addr": request.remote_addr,
        "user_agent": request.headers.get("User-Agent"),
        "cookies": dict(request.cookies),
        "endpoint": request.endpoint,
        "environ_path": request.environ["PATH_INFO"],
        "is_bustapi": type(app).__name__,
    }


@app.post("/echo")
def echo() -> Response:
    return jsonify(request.get_json())


@app.post("/echo-silent")
def echo_silent() -> dict[str, object]:
    data = request.get_json(silent=True)
    return {"data": data}


@app.post("/form")
def form() -> dict[str, object]:
    files = {
        name: {"filename": f.filename, "size": len(f.read()), "type": f.content_type}
        for name, f in request.files.items()
    }
    return {"form": request.form.to_dict(flat=False), "files": files}


@app.post("/data")
def data() -> dict[str, object]:
    return {"len": len(request.get_data()), "ctype": request.content_type}


@app.post("/ignore-body")
def ignore_body() -> str:
    return "ignored"


@app.get("/raise")
def boom() -> str:
    raise RuntimeError("secret detail that must not leak")


@app.get("/rust-panic")
def rust_panic() -> str:
    import importlib

    importlib.import_module("bustapi._core")._panic("deliberate panic")
    return "unreachable"


@app.get("/abort/<int:code>")
def do_abort(code: int) -> str:
    abort(code)


class TeapotError(Exception):
    pass


@app.errorhandler(TeapotError)
def handle_teapot(e: TeapotError) -> tuple[str, int]:
    return "handled teapot", 418


@app.get("/teapot")
def teapot() -> str:
    raise TeapotError()


@app.get("/tuple")
def as_tuple() -> tuple[str, int, dict[str, str]]:
    return "created", 201, {"X-Custom": "yes"}


@app.get("/response")
def as_response() -> Response:
    r = Response("custom body", status=202, mimetype="text/plain")
    r.set_cookie("flavour", "oat")
    return r


@app.get("/stream")
def stream() -> Response:
    def generate():  # type: ignore[no-untyped-def]
        for i in range(3):
            yield f"chunk {i}\n"

    return Response(generate(), mimetype="text/plain")


@app.get("/stream-ctx")
def stream_ctx() -> Response:
    @stream_with_context
    def generate():  # type: ignore[no-untyped-def]
        yield request.args.get("x", "none")

    return Response(generate())


@app.get("/async-stream-ctx")
async def async_stream_ctx() -> Response:
    session["streamed"] = request.args.get("x", "none")

    @stream_with_context
    def generate():  # type: ignore[no-untyped-def]
        yield session["streamed"]
        yield "|after"

    return Response(generate())


@app.get("/stream-raise")
def stream_raise() -> Response:
    def generate():  # type: ignore[no-untyped-def]
        yield "first\n"
        raise RuntimeError("mid-stream")

    return Response(generate(), mimetype="text/plain")


@app.get("/redirect")
def go() -> Response:
    return redirect(url_for("index"))


@app.get("/url-for")
def urls() -> dict[str, str]:
    return {
        "index": url_for("index"),
        "user": url_for("user", user_id=3, q="z"),
        "external": url_for("index", _external=True),
        "static": url_for("static", filename="hello.txt"),
    }


@app.get("/session/set/<value>")
def session_set(value: str) -> str:
    session["value"] = value
    return "ok"


@app.get("/session/get")
def session_get() -> dict[str, object]:
    return {"value": session.get("value")}


@app.get("/g")
def uses_g() -> str:
    return str(getattr(g, "marker", None))


@app.get("/after-this")
def after_this() -> str:
    @after_this_request
    def add_header(response: Response) -> Response:
        response.headers["X-After-This"] = "1"
        return response

    return "after"


@app.get("/template")
def template() -> str:
    return render_template_string("{% for i in items %}<{{ i }}>{% endfor %}", items=["a", "&"])


@app.get("/sleep")
def sleep() -> str:
    time.sleep(float(request.args.get("s", "1")))
    return "slept"


@app.get("/async-sleep")
async def async_sleep() -> str:
    await asyncio.sleep(float(request.args.get("s", "1")))
    return f"async slept {request.args.get('s', '1')}"


@app.get("/events")
def get_events() -> list[str]:
    return events


# -- a blueprint with hooks and its own error handler ----------------------------------------
bp = Blueprint("bp", __name__, url_prefix="/bp", static_folder=os.path.join(HERE, "static"))


@bp.url_value_preprocessor
def pull_lang(endpoint: str | None, values: dict[str, object] | None) -> None:
    if values is not None and "lang" in values:
        g.lang = values.pop("lang")


@bp.before_request
def bp_before() -> None:
    g.marker = "bp-before"


@bp.after_request
def bp_after(response: Response) -> Response:
    response.headers["X-Blueprint"] = "bp"
    return response


@bp.errorhandler(404)
def bp_not_found(e: Exception) -> tuple[str, int]:
    return "bp not found", 404


@bp.get("/<lang>/hello")
def bp_hello() -> str:
    return f"hello in {g.lang}, {g.marker}"


@bp.get("/missing")
def bp_missing() -> str:
    abort(404)


app.register_blueprint(bp)


@app.teardown_request
def teardown(exc: BaseException | None) -> None:
    if request.path == "/g":
        events.append("teardown /g")
