"""`BustAPI`: a `flask.Flask` whose requests are served by the Rust engine."""

from __future__ import annotations

import flask


class BustAPI(flask.Flask):
    """A Flask application served by BustAPI's engine."""
