"""BustAPI: serve unmodified Flask applications from a Rust engine."""

from __future__ import annotations

from .app import BustAPI as BustAPI

__all__ = ["BustAPI"]
