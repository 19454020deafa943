"""Importing this module makes every `flask.Flask` created afterwards a `bustapi.BustAPI`.

    import bustapi.flask_patch  # noqa: F401  (first, before the app is created)

This is how whole existing test suites (Flask's own, extensions') run on the engine unchanged.
Importing the module applies the patch; `patch()` / `unpatch()` are there for tests. An app
created *before* the import stays a Flask: `bustapi.adopt(app)` converts it in place.

What it covers:

- ``flask.Flask`` and ``flask.app.Flask`` are rebound to ``BustAPI``, so code that looks the
  name up after the import (``flask.Flask(...)``, ``from flask import Flask`` done later,
  ``class MyApp(flask.Flask)`` defined later) gets BustAPI directly.
- Code that bound the *original* class before the patch (``from flask import Flask`` at the
  top of a module imported earlier) still gets a BustAPI: the original class gets a
  ``__new__`` that builds a ``BustAPI`` instead. ``isinstance(app, <original Flask>)`` holds,
  since ``BustAPI`` subclasses it.
- A subclass of the original class defined before the patch (``class MyApp(Flask)``) is served
  by a generated class ``MyApp(MyApp, BustAPI)`` of the same name, module and qualname: the
  subclass's overrides come first in the MRO, BustAPI's engine beneath them.
  ``isinstance(app, MyApp)`` holds; ``type(app) is MyApp`` does not.
"""

from __future__ import annotations

import typing as t

import flask
import flask.app

from .app import BustAPI, bustapi_class

#: Flask's own application class (found in BustAPI's bases, so a re-import cannot pick up BustAPI).
ORIGINAL_FLASK: type[flask.Flask] = next(
    c for c in BustAPI.__mro__ if c.__module__ == "flask.app" and c.__name__ == "Flask"
)

_patched = False


def _flask_new(cls: type[flask.Flask], *args: t.Any, **kwargs: t.Any) -> flask.Flask:
    # `type.__call__` then runs `__init__` of the returned instance's class (a subclass of
    # `cls`), with the same arguments.
    return object.__new__(bustapi_class(cls) if _patched else cls)


def patch() -> None:
    """Make every `flask.Flask` created from now on a `bustapi.BustAPI`. Idempotent."""
    global _patched
    if _patched:
        return
    flask.Flask = BustAPI  # type: ignore[misc]
    flask.app.Flask = BustAPI  # type: ignore[misc]
    if ORIGINAL_FLASK.__dict__.get("__new__") is None:
        # Installed once and never removed: CPython cannot cleanly delete a `__new__` once set
        # (`object.__new__` then rejects the constructor's arguments), so `unpatch()` leaves
        # it in place, inert.
        ORIGINAL_FLASK.__new__ = staticmethod(_flask_new)  # type: ignore[assignment,method-assign]
    _patched = True


def unpatch() -> None:
    """Undo `patch()`: `flask.Flask` is Flask's own class again."""
    global _patched
    if not _patched:
        return
    flask.Flask = ORIGINAL_FLASK  # type: ignore[misc]
    flask.app.Flask = ORIGINAL_FLASK  # type: ignore[misc]
    _patched = False


def is_patched() -> bool:
    """Whether `patch()` is in effect."""
    return _patched


patch()
