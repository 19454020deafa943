"""A hook-free app with its own session interface: Flask opens and saves the session on every
request, so the engine's lean lane must not skip it."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.sessions import SessionInterface, SessionMixin


class CountingSession(dict[str, Any], SessionMixin):
    pass


class CountingInterface(SessionInterface):
    opened = 0

    def open_session(self, app: Flask, request: Any) -> CountingSession:
        CountingInterface.opened += 1
        return CountingSession()

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        response.headers["X-Session-Saved"] = str(CountingInterface.opened)


app = Flask(__name__)
app.session_interface = CountingInterface()


@app.get("/")
def index() -> str:
    return "hello"


@app.get("/json")
def as_json() -> dict[str, int]:
    return {"n": 1}
