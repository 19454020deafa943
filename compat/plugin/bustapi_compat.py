"""pytest plugin that puts a peer suite on BustAPI; `compat/run.py` loads it with ``-p``.

Loaded before any conftest or test module, it activates `bustapi.flask_patch`, so every
`flask.Flask` the suite creates is a `bustapi.BustAPI`; no file of the suite is edited. The
transport (in-process or HTTP) is chosen by ``BUSTAPI_TEST_TRANSPORT`` in `bustapi.testing`.

- ``BUSTAPI_COMPAT_ENGINE_ONLY=1`` replaces Flask's own ``Flask.wsgi_app`` and
  ``Flask.full_dispatch_request`` by functions that raise, to prove the suite exercises the engine.
- ``BUSTAPI_COMPAT_STATS=<file>``: where to write the transport's request counts at the end.
"""

from __future__ import annotations

import json
import os
import typing as t

import pytest

import bustapi.flask_patch
from bustapi import testing
from bustapi._servers import server_kind

if os.environ.get("BUSTAPI_COMPAT_ENGINE_ONLY") == "1":

    def _not_the_engine(*args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise AssertionError("Flask's own request path was called instead of BustAPI's engine")

    bustapi.flask_patch.ORIGINAL_FLASK.wsgi_app = _not_the_engine  # type: ignore[method-assign]
    bustapi.flask_patch.ORIGINAL_FLASK.full_dispatch_request = _not_the_engine  # type: ignore[method-assign]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> t.Generator[None, None, None]:
    try:
        return (yield)
    finally:
        testing.stop_servers()  # one app's server per test at most; restarted on demand


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = os.environ.get("BUSTAPI_COMPAT_STATS")
    if path:
        data = {
            "transport": testing.transport(),
            "server": server_kind(),
            "requests": testing.stats,
        }
        with open(path, "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
