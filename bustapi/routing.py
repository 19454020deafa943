"""Freezing `app.url_map` for the Rust router (placeholder until the router lands)."""

from __future__ import annotations

from werkzeug.routing import Map

from ._core import Router


def compile_router(url_map: Map) -> Router | None:
    return None
