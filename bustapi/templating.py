"""Compiled Jinja templates of a `bustapi build` binary.

A built binary sets `compiled` to a `bustapi._core.CompiledTemplates` holding the templates it
translated to Rust; `render_template` asks it first and falls back to Jinja2 when it answers
`None`. In an ordinary Python process nothing is compiled and `compiled` stays `None`.
"""

from __future__ import annotations

from typing import Any

compiled: Any = None
