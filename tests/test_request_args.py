"""`request.args` parsed in Rust: the same pairs as Werkzeug's `parse_qsl` call, over generated
query strings and over HTTP; an app's own `args` still wins."""

from __future__ import annotations

import typing as t
from urllib.parse import parse_qsl

import flask
import httpx
import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" error handler
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.utils import cached_property

from bustapi import _core
from bustapi.wrappers import raw_request_class

ALPHABET = "%&=+;#aZ09fFgG. ~-_\x7f\x00"
queries = st.text(st.sampled_from(ALPHABET), max_size=30) | st.text(
    st.characters(max_codepoint=127), max_size=30
)


def werkzeug_pairs(qs: bytes) -> list[tuple[str, str]]:
    return parse_qsl(qs.decode(), keep_blank_values=True, errors="werkzeug.url_quote")


@settings(max_examples=3000, deadline=None)
@given(queries, st.lists(st.integers(0, 255), max_size=4))
def test_parse_qsl_is_werkzeugs(text: str, raw_bytes: list[int]) -> None:
    # Percent-encoded arbitrary bytes (invalid UTF-8 included) in among the text.
    qs = (text + "".join(f"%{b:02X}" if b % 2 else f"%{b:02x}" for b in raw_bytes) + text).encode()
    assert _core.parse_qsl(qs) == werkzeug_pairs(qs)


def test_non_ascii_is_left_to_python() -> None:
    assert _core.parse_qsl("a=é".encode()) is None


def test_args_over_http(client: httpx.Client) -> None:
    r = client.get("/args?a=1&a=2&b=&c=%20x&d+e=f+g&h=%FF%C3%A9&&i&j=%4")
    assert r.json() == {
        "a": ["1", "2"], "b": [""], "c": [" x"], "d e": ["f g"], "h": ["%FFé"], "i": [""],
        "j": ["%4"],
    }  # fmt: skip


def test_app_request_class_keeps_its_own_args() -> None:
    class MyRequest(flask.Request):
        @cached_property
        def args(self) -> t.Any:  # type: ignore[override]
            return "mine"

    cls = raw_request_class(MyRequest)
    assert issubclass(cls, MyRequest)
    assert cls.args is MyRequest.__dict__["args"]
