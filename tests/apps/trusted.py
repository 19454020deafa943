"""A hook-free app with `TRUSTED_HOSTS`: a request for another host is a 400 before any view
runs, as in Flask (the dispatch's lean lane must leave such requests to the full path)."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)
app.config["TRUSTED_HOSTS"] = ["127.0.0.1", "localhost", ".other.test"]


@app.get("/")
def index() -> str:
    return "trusted"
