"""BustAPI: serve unmodified Flask applications from a Rust engine.

`BustAPI` is a `flask.Flask`; everything else a Flask app imports from `flask` keeps coming from
`flask`. This module re-exports the engine's public API explicitly.
"""

from __future__ import annotations

from .app import BustAPI as BustAPI
from .app import adopt as adopt
from .serving import serve as serve
from .serving import start_background as start_background
from .wrappers import Request as Request
from .wrappers import Response as Response

__all__ = ["BustAPI", "Request", "Response", "adopt", "serve", "start_background"]
