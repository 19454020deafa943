"""A hook-free Flask app whose views return JSON: the engine's lean lane and Rust JSON encoder
answer it (tests/test_json_rust.py compares the bytes with Flask's own)."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from flask import Flask, jsonify, request

app = Flask(__name__)

VALUES: dict[str, Any] = {
    "plain": {"b": [1, 2.5, None, True, False], "a": "x", "nested": {"z": [], "y": {}}},
    "floats": [0.1, 1e16, 1e-05, -0.0, 123456789.125, 5e-324, 1.7976931348623157e308],
    "nonfinite": [float("nan"), float("inf"), float("-inf")],
    "unicode": ["é", "\x7f", "\u2028", "😀", '"\\\n\t\x00', "\ud800"],
    "bigint": [2**64, -(2**70), 10**40],
    "intkeys": {10: "a", 2: "b", -1: "c"},
    "mixedkeys": {1.5: "f", True: "t", -3: "i"},
    "tuple": (1, (2, 3)),
    "dates": {"d": datetime.date(2020, 1, 2), "u": uuid.UUID(int=5), "m": decimal.Decimal("1.10")},
}


@app.get("/dict/<name>")
def as_dict(name: str) -> Any:
    return {"value": VALUES[name]}


@app.get("/jsonify/<name>")
def as_jsonify(name: str) -> Any:
    return jsonify(VALUES[name])


@app.get("/list")
def as_list() -> Any:
    return [VALUES["plain"], VALUES["floats"]]


@app.post("/echo")
def echo() -> Any:
    return jsonify(request.get_json())


@app.post("/echo-silent")
def echo_silent() -> Any:
    return {"data": request.get_json(silent=True)}
