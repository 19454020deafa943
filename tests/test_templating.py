"""`bustapi.templating`: how a built binary's compiled templates take over `render_template`,
and when Jinja2 renders instead. Uses the two hand-written templates of
`_core._template_install_demo` (what generated code does, by hand) with a real Flask app."""

from __future__ import annotations

import typing as t
from pathlib import Path

import flask
import jinja2
import pytest

from bustapi import _core, templating

DEMO = {
    "demo.html": "Hello {{ name }}!",
    "fails.html": "{{ nothing.x }}",
    "nested.html": "{{ name|nest }}",
}


@pytest.fixture
def compiled() -> t.Iterator[None]:
    _core._template_install_demo()
    try:
        yield
    finally:
        templating.compiled = None
        templating.active = False


def make_app(folder: Path, sources: dict[str, str] = DEMO) -> flask.Flask:
    folder.mkdir(exist_ok=True)
    for name, text in sources.items():
        (folder / name).write_text(text)
    return flask.Flask(__name__, template_folder=str(folder))


def test_render_template_uses_the_compiled_code(compiled: None, tmp_path: Path) -> None:
    app = make_app(tmp_path / "templates")
    assert templating.install(app) and templating.active
    rendered: list[jinja2.Template] = []

    def record(sender: flask.Flask, template: jinja2.Template, **extra: t.Any) -> None:
        rendered.append(template)

    flask.template_rendered.connect(record, app)
    with app.test_request_context():
        assert flask.render_template("demo.html", name="<b>") == "Hello &lt;b&gt;!"
        template = app.jinja_env.get_template("demo.html")
    # The signal carries Jinja's own Template object, whose render is the compiled one.
    assert rendered == [template] and "render" in template.__dict__
    assert isinstance(template, jinja2.Template)


def test_a_failing_compiled_render_is_rendered_by_jinja2(compiled: None, tmp_path: Path) -> None:
    app = make_app(tmp_path / "templates")
    assert templating.install(app)
    with app.test_request_context(), pytest.raises(jinja2.UndefinedError, match="nothing"):
        flask.render_template("fails.html")


def test_templates_not_compiled_render_with_jinja2(compiled: None, tmp_path: Path) -> None:
    app = make_app(tmp_path / "templates", {**DEMO, "other.html": "{{ 1 + 1 }}"})
    assert templating.install(app)
    with app.test_request_context():
        assert flask.render_template("other.html") == "2"
        assert "render" not in app.jinja_env.get_template("other.html").__dict__


def test_a_template_edited_after_the_build_disables_them(
    compiled: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(tmp_path / "templates", {**DEMO, "demo.html": "Hi {{ name }}"})
    assert not templating.install(app)
    assert "'demo.html' changed since the build" in caplog.text
    with app.test_request_context():
        assert flask.render_template("demo.html", name="x") == "Hi x"


@pytest.mark.parametrize(
    ("option", "value"),
    [("trim_blocks", True), ("lstrip_blocks", True), ("undefined", jinja2.StrictUndefined)],
)
def test_an_environment_unlike_the_build_disables_them(
    compiled: None, tmp_path: Path, option: str, value: object
) -> None:
    app = make_app(tmp_path / "templates")
    setattr(app.jinja_env, option, value)
    assert not templating.install(app)
    with app.test_request_context():
        assert flask.render_template("demo.html", name="<b>") == "Hello &lt;b&gt;!"
        assert "render" not in app.jinja_env.get_template("demo.html").__dict__


def test_nothing_compiled_outside_a_built_binary(tmp_path: Path) -> None:
    assert templating.compiled is None
    assert not templating.install(make_app(tmp_path / "templates"))
