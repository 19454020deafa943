"""`bustapi.flask_patch`: every `flask.Flask` created after the import is a `bustapi.BustAPI`."""

from __future__ import annotations

from collections.abc import Iterator

import flask
import flask.app
import pytest

from bustapi import BustAPI

# Bound before any patch, as a module imported early would have it.
from flask import Flask as EarlyFlask  # isort: skip


class EarlySubclass(EarlyFlask):
    """A Flask subclass defined before the patch, as an extension might."""

    def make_default_options_response(self) -> flask.Response:
        rv = super().make_default_options_response()
        rv.headers["X-Early"] = "yes"
        return rv


@pytest.fixture
def patched() -> Iterator[None]:
    from bustapi import flask_patch

    flask_patch.patch()
    try:
        yield
    finally:
        flask_patch.unpatch()


def test_names_are_rebound_and_restored(patched: None) -> None:
    from bustapi import flask_patch

    assert flask.Flask is BustAPI
    assert flask.app.Flask is BustAPI
    from flask import Flask  # a late `from flask import Flask`

    assert Flask is BustAPI
    flask_patch.unpatch()
    assert flask.Flask is flask_patch.ORIGINAL_FLASK
    assert flask.app.Flask is flask_patch.ORIGINAL_FLASK
    assert type(EarlyFlask("x")) is flask_patch.ORIGINAL_FLASK
    flask_patch.patch()
    flask_patch.patch()  # idempotent
    assert flask.Flask is BustAPI


def test_app_created_through_the_name_is_bustapi(patched: None) -> None:
    app = flask.Flask(__name__)
    assert type(app) is BustAPI
    assert isinstance(app, EarlyFlask)


def test_original_class_bound_before_the_patch_builds_bustapi(patched: None) -> None:
    app = EarlyFlask("early", static_folder=None)
    assert type(app) is BustAPI
    assert app.import_name == "early"
    assert app.static_folder is None  # constructor arguments reach __init__


def test_subclass_defined_before_the_patch_is_served_by_bustapi(patched: None) -> None:
    app = EarlySubclass(__name__)
    cls = type(app)
    assert isinstance(app, EarlySubclass) and isinstance(app, BustAPI)
    assert cls.__mro__[1:3] == (EarlySubclass, BustAPI)  # its overrides first, engine beneath
    assert (cls.__name__, cls.__qualname__, cls.__module__) == (
        "EarlySubclass",
        "EarlySubclass",
        __name__,
    )
    assert type(EarlySubclass(__name__)) is cls  # one generated class per subclass

    @app.route("/")
    def index() -> str:
        return "hi"

    rv = app.test_client().options("/")
    assert rv.headers["X-Early"] == "yes"


def test_subclass_defined_after_the_patch_inherits_bustapi(patched: None) -> None:
    class Late(flask.Flask):
        pass

    assert Late.__mro__[1] is BustAPI
    assert type(Late(__name__)) is Late


def test_bustapi_and_its_subclasses_are_untouched(patched: None) -> None:
    class Mine(BustAPI):
        pass

    assert type(BustAPI(__name__)) is BustAPI
    assert type(Mine(__name__)) is Mine


def test_unpatched_flask_stays_flask() -> None:
    from bustapi import flask_patch

    flask_patch.unpatch()
    assert not flask_patch.is_patched()
    assert type(flask.Flask(__name__)) is flask_patch.ORIGINAL_FLASK
    assert type(EarlySubclass(__name__)) is EarlySubclass


def test_patched_app_serves_requests(patched: None) -> None:
    app = flask.Flask(__name__)
    app.secret_key = "s"

    @app.route("/hello/<name>")
    def hello(name: str) -> dict[str, object]:
        flask.session["seen"] = name
        return {"hello": name, "app": type(flask.current_app._get_current_object()).__name__}

    rv = app.test_client().get("/hello/you")
    assert rv.status_code == 200
    assert rv.json == {"hello": "you", "app": "BustAPI"}
