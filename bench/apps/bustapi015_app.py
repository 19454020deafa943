"""The benchmark app for PyPI `bustapi==0.15` (an unrelated project of the same name), in its API.

A reference row only. Its own virtualenv, since it is imported as `bustapi` too. Started as
`python bustapi015_app.py HOST PORT` from this folder, one process (`workers=1`).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from bustapi import BustAPI, jsonify, render_template, request

HERE = os.path.dirname(os.path.abspath(__file__))
app = BustAPI(__name__, template_folder=os.path.join(HERE, "templates"))

ROWS = [{"id": i, "name": f"Item {i} <&>", "price": f"{i * 1.25:.2f}"} for i in range(100)]


@app.route("/")
def hello() -> str:
    return "Hello, World!"


@app.route("/json")
def hello_json() -> dict[str, str]:
    return {"message": "Hello, World!"}


@app.route("/user/<int:user_id>")
def user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "q": request.args.get("q")}


@app.route("/echo", methods=["POST"])
def echo() -> Any:
    return jsonify(request.get_json())


@app.route("/page")
def page() -> Any:
    return render_template("page.html", title="BustAPI bench", rows=ROWS)


if __name__ == "__main__":
    app.run(host=sys.argv[1], port=int(sys.argv[2]), workers=1, debug=False)
