"""The benchmark app for Robyn, in Robyn's own API (see flask_app.py for the endpoints).

Plain `def` handlers (Robyn calls them on its event loop thread; cheaper than `async def` here) and
no `const=True` routes (those cache the response in Rust and never call Python). Started by
`bench/run.py` as `python robyn_app.py --processes 1 --workers 1 --log-level WARNING
--disable-openapi` with ROBYN_HOST/ROBYN_PORT set.
"""

from __future__ import annotations

import os
from typing import Any

from robyn import Request, Response, Robyn, jsonify
from robyn.templating import JinjaTemplate

app = Robyn(__file__)
templates = JinjaTemplate(os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates"))

ROWS = [{"id": i, "name": f"Item {i} <&>", "price": f"{i * 1.25:.2f}"} for i in range(100)]
JSON_HEADERS = {"Content-Type": "application/json"}


@app.get("/")
def hello(request: Request) -> str:
    return "Hello, World!"


@app.get("/json")
def hello_json(request: Request) -> dict[str, str]:
    return {"message": "Hello, World!"}


@app.get("/user/:user_id")
def user(request: Request) -> dict[str, Any]:
    return {"id": int(request.path_params["user_id"]), "q": request.query_params.get("q", None)}


@app.post("/echo")
def echo(request: Request) -> Response:
    return Response(200, JSON_HEADERS, jsonify(request.json()))


@app.get("/page")
def page(request: Request) -> Response:
    return templates.render_template("page.html", title="BustAPI bench", rows=ROWS)


if __name__ == "__main__":
    app.start(host=os.environ.get("ROBYN_HOST", "127.0.0.1"), _check_port=False)
