"""Importing this module makes every `flask.Flask` created afterwards a `bustapi.BustAPI`.

    import bustapi.flask_patch  # noqa: F401  (first, before the app is created)

Both `flask.Flask` and `flask.app.Flask` are replaced, so `from flask import Flask` written after
this import, and `flask.Flask(...)`, give a BustAPI; `isinstance(app, flask.Flask)` still holds.
"""

from __future__ import annotations

import flask
import flask.app

from .app import BustAPI

ORIGINAL_FLASK = flask.app.Flask

flask.Flask = BustAPI  # type: ignore[misc]
flask.app.Flask = BustAPI  # type: ignore[misc]
