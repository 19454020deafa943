"""The dispatch's lean lane (an app with no hooks, so only the view runs) keeps Flask's context
semantics: each request starts from clean context variables and a fresh `g`, and a streamed
body sees the request's contexts only through `stream_with_context`. Each answer is compared
with Flask's own test client for the same app, run in a new thread per request as Werkzeug's
threaded server runs it (a new thread starts with empty context variables)."""

from __future__ import annotations

import threading

import pytest

from tests.apps.plain import app as flask_app

from .conftest import RunningServer

PATHS = ["/isolation", "/stream-ctx?x=ctx", "/stream-bare", "/", "/thing"]


def flask_answer(path: str) -> str:
    answer: list[str] = []
    thread = threading.Thread(target=lambda: answer.append(flask_app.test_client().get(path).text))
    thread.start()
    thread.join()
    return answer[0]


@pytest.mark.parametrize("path", PATHS)
def test_same_answers_as_flask_request_after_request(plain: RunningServer, path: str) -> None:
    answers = set()
    with plain.client() as c:
        # Enough requests on one connection (and the pool's few threads) for any state one
        # request left behind to reach the next; all paths in turn, so each follows the others.
        for _ in range(20):
            for other in PATHS:
                text = c.get(other).text
                if other == path:
                    answers.add(text)
    assert answers == {flask_answer(path)}


def test_expected_flask_answers() -> None:
    # What the comparisons above hold the engine to, spelled out.
    assert flask_answer("/isolation") == "fresh|fresh"
    assert flask_answer("/stream-ctx?x=ctx") == "ctx|True"
    assert flask_answer("/stream-bare") == "False|False|streamed"
