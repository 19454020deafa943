"""An app factory, served as `tests.apps.factory:create_app()`."""

from __future__ import annotations

from flask import Flask


def create_app(greeting: str = "from factory") -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def index() -> str:
        return greeting

    return app
