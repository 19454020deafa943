"""The Rust JSON encoder and decoder against Python's `json` with Flask's provider settings.

`bustapi._core.json_dumps` may decline a value (returns None: Python's encoder answers), but
whatever it returns must be exactly `json.dumps`'s text; `JSONProvider.loads` must give
`json.loads`'s result or raise its error. Then, over HTTP, the bytes of dict returns and
`jsonify` from the engine equal what Flask's own provider writes.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import json
import math
import struct
import typing as t
import uuid

import flask
import pytest
from flask.json.provider import DefaultJSONProvider
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from bustapi import _core
from bustapi.app import _FLASK
from bustapi.json import JSONProvider

from .conftest import RunningServer

# Text including lone surrogates and control characters.
texts = st.text(st.characters(exclude_categories=()), max_size=12)
floats = st.floats(allow_nan=True, allow_infinity=True) | st.builds(
    lambda bits: struct.unpack("<d", struct.pack("<Q", bits))[0],
    st.integers(0, 2**64 - 1),
)
ints = st.integers() | st.integers(-(2**80), 2**80) | st.integers(-(10**30), 10**30)
scalars = st.none() | st.booleans() | ints | floats | texts
keys = texts | st.integers(-(2**70), 2**70)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5)
    | st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(texts, inner, max_size=5)
    | st.dictionaries(st.integers(-(2**40), 2**40), inner, max_size=4)
    | st.dictionaries(keys | st.floats() | st.booleans() | st.none(), inner, max_size=4),
    max_leaves=25,
)
SEPARATORS = [(",", ":"), (", ", ": ")]


def py_dumps(obj: t.Any, **kw: t.Any) -> tuple[str, t.Any]:
    try:
        return "ok", json.dumps(obj, **kw)
    except Exception as e:  # noqa: BLE001 - the error is the result to compare
        return "error", (type(e), str(e))


@settings(max_examples=1500, deadline=None)
@given(values, st.booleans(), st.booleans(), st.sampled_from(SEPARATORS))
def test_dumps_is_json_dumps(obj: t.Any, ensure_ascii: bool, sort_keys: bool, seps: t.Any) -> None:
    got = _core.json_dumps(
        obj, ensure_ascii=ensure_ascii, sort_keys=sort_keys, item_sep=seps[0], key_sep=seps[1]
    )
    if got is not None:
        assert py_dumps(obj, ensure_ascii=ensure_ascii, sort_keys=sort_keys, separators=seps) == (
            "ok",
            got,
        )


@settings(max_examples=3000, deadline=None)
@given(floats)
def test_float_repr(f: float) -> None:
    assert _core.json_dumps([f, -f]) == json.dumps([f, -f], separators=(",", ":"))


def test_plain_values_are_encoded_in_rust() -> None:
    # What views return most: the Rust path must take it (else the speed-up is lost silently).
    for obj in [{"id": 42, "q": "x"}, {"message": "Hello, World!"}, [1, 2.5, None, True, "é"]]:
        assert _core.json_dumps(obj) == json.dumps(obj, sort_keys=True, separators=(",", ":"))
        assert (
            _core.json_body(obj)
            == (json.dumps(obj, sort_keys=True, separators=(",", ":")) + "\n").encode()
        )
    # ...and declines what Python must decide.
    for obj in [{"a": 1, 2: 3}, {1.5: 1}, "\ud800", [datetime.date(2020, 1, 1)], [True.__class__]]:
        assert _core.json_dumps(obj) is None


@dataclasses.dataclass
class Point:
    x: int
    y: float


class Dangling:
    pass


def provider_pair() -> tuple[DefaultJSONProvider, JSONProvider]:
    app = _FLASK(__name__)
    return DefaultJSONProvider(app), JSONProvider(app)


@pytest.mark.parametrize(
    "obj",
    [
        {"d": datetime.date(2020, 1, 2), "t": datetime.datetime(2020, 1, 2, 3, 4, 5)},
        [uuid.UUID(int=7), decimal.Decimal("1.50"), Point(1, 2.5), Markup("<b>")],
        {"x": Dangling()},
        {"a": 1, 2: 3},
        {1.5: "f", True: "t", None: "n", 7: "i"},
        {"\ud800": "\udfff"},
    ],
)
def test_provider_dumps_matches_flask(obj: t.Any) -> None:
    flask_p, ours = provider_pair()
    for kw in ({}, {"separators": (",", ":")}, {"indent": 2}, {"sort_keys": False}):
        try:
            expected: t.Any = flask_p.dumps(obj, **kw)
        except Exception as e:  # noqa: BLE001
            with pytest.raises(type(e), match=None) as got:
                ours.dumps(obj, **kw)
            assert str(got.value) == str(e)
        else:
            assert ours.dumps(obj, **kw) == expected


def test_provider_circular_reference() -> None:
    flask_p, ours = provider_pair()
    loop: list[t.Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        flask_p.dumps(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        ours.dumps(loop)


def same(a: t.Any, b: t.Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


def check_loads(data: bytes | str) -> None:
    _, ours = provider_pair()
    try:
        expected = json.loads(data)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)) as got:
            ours.loads(data)
        assert str(got.value) == str(e)
    else:
        assert same(ours.loads(data), expected)


@settings(max_examples=1000, deadline=None)
@given(values, st.booleans(), st.sampled_from(["", " ", "\n\t", "\r\n  "]))
def test_loads_is_json_loads(obj: t.Any, ensure_ascii: bool, ws: str) -> None:
    text = json.dumps(obj, ensure_ascii=ensure_ascii)
    text = ws + text.replace(", ", "," + ws).replace(": ", ws + ":") + ws
    check_loads(text)
    check_loads(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=1000, deadline=None)
@given(
    st.binary(max_size=24)
    | st.text(st.sampled_from('{}[]",:.-+eE0123456789 tfnulrsaINy\\u'), max_size=16)
)
def test_loads_on_garbage(data: bytes | str) -> None:
    check_loads(data)


@pytest.mark.parametrize(
    "data",
    [
        b"-0",
        b"-0.0",
        b"1e400",
        b"NaN",
        b"-Infinity",
        b"-NaN",
        b'"\\ud800"',
        b'"\xed\xa0\x80"',
        b'\xef\xbb\xbf{"a": 1}',
        b'{"a": 1, "a": 2, "b": 3}',
        b'"a\x01b"',
        b"[" * 300 + b"]" * 300,
        b"123456789012345678901234567890",
        b"1.7976931348623157e309",
        b"4.9e-325",
        b"\x0c{}",
        '{"k": "\u2028"}'.encode("utf-16"),
        b"",
        b"  ",
        b"[1,]",
        b'"\\u00e9\\ud83d\\ude00"',
    ],
)
def test_loads_edge_cases(data: bytes) -> None:
    check_loads(data)


# -- over HTTP ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def json_server() -> t.Iterator[RunningServer]:
    server = RunningServer("tests.apps.jsonapp:app")
    yield server
    server.stop()


def flask_body(obj: t.Any) -> bytes:
    """What Flask's own provider sends for `obj` (jsonify and dict returns alike)."""
    return (DefaultJSONProvider(_FLASK(__name__)).dumps(obj, separators=(",", ":")) + "\n").encode()


def test_http_dict_and_jsonify_bytes_equal_flask(json_server: RunningServer) -> None:
    from .apps.jsonapp import VALUES

    with json_server.client() as c:
        for name, value in VALUES.items():
            r = c.get(f"/dict/{name}")
            assert r.status_code == 200, name
            assert r.headers["content-type"] == "application/json"
            assert r.content == flask_body({"value": value}), name
            r = c.get(f"/jsonify/{name}")
            assert r.status_code == 200, name
            assert r.content == flask_body(value), name
        r = c.get("/list")
        assert r.content == flask_body([VALUES["plain"], VALUES["floats"]])


def test_http_get_json(json_server: RunningServer) -> None:
    with json_server.client() as c:
        body = json.dumps({"k": [1, 2.5, "é"], "big": 10**30}).encode()
        r = c.post("/echo", content=body, headers={"content-type": "application/json"})
        assert r.content == flask_body(json.loads(body))
        # What Python accepts and jiter does not: a BOM, a lone surrogate, NaN.
        for raw in [b'\xef\xbb\xbf{"a": 1}', b'["\\ud800", NaN]', '{"a": "é"}'.encode("utf-16")]:
            r = c.post("/echo", content=raw, headers={"content-type": "application/json"})
            assert r.status_code == 200, raw
            assert r.content == flask_body(json.loads(raw)), raw
        r = c.post("/echo", content=b"{bad", headers={"content-type": "application/json"})
        assert r.status_code == 400
        assert b"Failed to decode JSON object" not in r.content  # debug off: no details
        r = c.post("/echo", content=b"{}", headers={"content-type": "text/plain"})
        assert r.status_code == 415
        r = c.post("/echo-silent", content=b"[1,", headers={"content-type": "application/json"})
        assert r.json() == {"data": None}


def test_adopted_app_gets_the_fast_provider() -> None:
    from bustapi.app import adopt

    app = _FLASK(__name__)
    assert type(app.json) is DefaultJSONProvider
    adopt(app)
    assert type(app.json) is JSONProvider
    custom = _FLASK(__name__)

    class Mine(DefaultJSONProvider):
        pass

    custom.json = Mine(custom)
    adopt(custom)
    assert type(custom.json) is Mine
    assert isinstance(flask.Flask, type)


def test_json_response_is_flasks_response() -> None:
    from bustapi.json import json_response

    app = _FLASK(__name__)
    with app.app_context():
        for obj in [{"a": 1}, [1, "é"], None, "x"]:
            expected = DefaultJSONProvider(app).response(obj)
            body = _core.json_body(obj)
            assert body is not None
            got = json_response(body)
            assert type(got) is type(expected)
            assert vars(got).keys() == vars(expected).keys()
            for key, value in vars(expected).items():
                assert (list(vars(got)[key]) if key == "headers" else vars(got)[key]) == (
                    list(value) if key == "headers" else value
                ), key
            assert got.get_data() == expected.get_data()
            assert got.status == expected.status


def test_jsonify_forms_match_flask() -> None:
    app = _FLASK(__name__)
    ours = JSONProvider(app)
    theirs = DefaultJSONProvider(app)
    with app.app_context():
        for args, kwargs in [((), {}), ((1, 2), {}), (({"a": 1},), {}), ((), {"b": [1]})]:
            assert (
                ours.response(*args, **kwargs).get_data()
                == theirs.response(*args, **kwargs).get_data()
            )
        with pytest.raises(TypeError):
            ours.response(1, b=2)
        app.debug = True  # pretty output: Flask's own path
        assert ours.response({"a": [1]}).get_data() == theirs.response({"a": [1]}).get_data()
