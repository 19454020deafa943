"""Flask's `DefaultJSONProvider`, encoding and decoding in Rust where the result is the same.

`JSONProvider` is what a `BustAPI` app's `app.json` is (an adopted `flask.Flask` keeps its
provider object, given this class). `dumps` hands plain values — exact `dict`/`list`/`tuple`/
`str`/`int`/`float`/`bool`/`None` — to `bustapi._core.json_dumps`, which writes what
`json.dumps` would; anything else (dates, UUIDs, dataclasses, `__html__`, subclasses, an
`indent`, other `json.dumps` arguments) goes to Flask's own `dumps`. `loads` decodes `bytes`/
`str` with jiter and asks `json.loads` whenever jiter refuses, so Python's result or error
(Flask's 400 for bad JSON) is what the app sees. tests/test_json_rust.py holds both to
Python's `json` over generated values.
"""

from __future__ import annotations

import json
import typing as t

import flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.datastructures import Headers

from . import _core

__all__ = ["JSONProvider", "fast_provider", "json_response"]

_PLAIN_KWARGS = frozenset(("separators",))


class JSONProvider(DefaultJSONProvider):
    """`DefaultJSONProvider` with the Rust fast path (same output, same errors)."""

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        if not kwargs or kwargs.keys() <= _PLAIN_KWARGS:
            separators = kwargs.get("separators")
            if separators is None:
                item_sep, key_sep = ", ", ": "
            else:
                item_sep, key_sep = separators
            if type(item_sep) is str and type(key_sep) is str:
                text = _core.json_dumps(
                    obj,
                    ensure_ascii=bool(self.ensure_ascii),
                    sort_keys=bool(self.sort_keys),
                    item_sep=item_sep,
                    key_sep=key_sep,
                )
                if text is not None:
                    return text
        return super().dumps(obj, **kwargs)

    def response(self, *args: t.Any, **kwargs: t.Any) -> flask.Response:
        app = self._app
        compact = self.compact
        if (
            app.response_class is flask.Response
            and self.mimetype == "application/json"
            and type(self).dumps is JSONProvider.dumps
            and (compact is True or (compact is None and not app.debug))
        ):
            obj = self._prepare_response_obj(args, kwargs)
            body = _core.json_body(
                obj, ensure_ascii=bool(self.ensure_ascii), sort_keys=bool(self.sort_keys)
            )
            if body is not None:
                return json_response(body)
            # Rust refused a value: Flask's encoder, not `self.dumps`, which would try Rust again.
            text = DefaultJSONProvider.dumps(self, obj, separators=(",", ":"))
            return flask.Response(f"{text}\n", mimetype=self.mimetype)
        return t.cast(flask.Response, super().response(*args, **kwargs))

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        if not kwargs:
            try:
                return _core.json_loads(s)
            except ValueError:
                pass
        return json.loads(s, **kwargs)


_new = object.__new__


def json_response(body: bytes) -> flask.Response:
    """`flask.Response(body, mimetype="application/json")`: the same object in the same state
    (tests/test_json_rust.py compares them), built without the generic constructor."""
    headers = _new(Headers)
    headers._list = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    response = _new(flask.Response)
    d = response.__dict__
    d["headers"] = headers
    d["_status"] = "200 OK"
    d["_status_code"] = 200
    d["direct_passthrough"] = False
    d["_on_close"] = []
    d["response"] = [body]
    return response


def fast_provider(provider: t.Any) -> bool:
    """Whether `provider` encodes exactly as Flask's `DefaultJSONProvider` (its class, or ours
    with nothing overridden)."""
    cls = type(provider)
    return cls is JSONProvider or cls is DefaultJSONProvider
