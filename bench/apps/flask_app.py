"""The benchmark app: one unmodified Flask file served by gunicorn, Granian and BustAPI alike.

Endpoints (the same in every peer's app, checked by `bench/run.py` before it loads them):
`GET /` text, `GET /json`, `GET /user/<int:id>?q=x`, `POST /echo` (JSON echoed), `GET /page`
(`templates/page.html`, a 100-row loop, autoescaped).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request

app = Flask(__name__)

ROWS = [{"id": i, "name": f"Item {i} <&>", "price": f"{i * 1.25:.2f}"} for i in range(100)]


@app.get("/")
def hello() -> str:
    return "Hello, World!"


@app.get("/json")
def hello_json() -> dict[str, str]:
    return {"message": "Hello, World!"}


@app.get("/user/<int:user_id>")
def user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "q": request.args.get("q")}


@app.post("/echo")
def echo() -> Any:
    return jsonify(request.get_json())


@app.get("/page")
def page() -> str:
    return render_template("page.html", title="BustAPI bench", rows=ROWS)
