"""The Jinja corpus (fixtures/templates/corpus, contexts in fixtures/templates/contexts.py).

Every template renders under Flask's Jinja environment with its context (the reference bytes a
compiled template must reproduce), and the translator compiles exactly the templates not named
``unsupported_*``: its refusals are the constructs askama cannot render as Jinja does.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import flask
import pytest

from bustapi import _core

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "templates"
CORPUS = ROOT / "corpus"


def _contexts() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_contexts", ROOT / "contexts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CONTEXTS = _contexts().CONTEXTS
NAMES = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file())


def test_corpus_is_large_and_every_template_has_a_context() -> None:
    assert len(NAMES) >= 50
    assert sorted(CONTEXTS) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_renders_under_jinja2(name: str) -> None:
    app = flask.Flask(__name__, template_folder=str(CORPUS))
    with app.test_request_context():
        out = flask.render_template(name, **CONTEXTS[name])
    assert isinstance(out, str)


def test_translator_verdicts() -> None:
    templates = [(n, (CORPUS / n).read_text(encoding="utf-8")) for n in NAMES]
    outcomes = _core.translate_templates(templates)
    assert [o[0] for o in outcomes] == NAMES
    for name, askama, unsupported in outcomes:
        if name.startswith("unsupported_"):
            assert askama is None and unsupported, name
            for line, column, text in unsupported:
                assert line >= 1 and column >= 1 and text
        else:
            assert askama is not None and not unsupported, (name, unsupported)
    compiled = sum(o[1] is not None for o in outcomes)
    assert compiled >= 50
