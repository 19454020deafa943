"""The Rust router against Werkzeug: random rule sets, random URLs, the same answer.

Rule sets are drawn by Hypothesis from a small alphabet of static segments, converters with random
arguments, trailing slashes, strict/merge-slashes settings, method subsets, defaults and shared
endpoints (so default redirects happen). URLs are built from the same pieces plus numbers, UUIDs,
floats, double and trailing slashes and odd characters. For each URL and method, `Router.match` must
equal `Map.bind("localhost").match(path, method, return_rule=True)`: the same rule, view arguments
of the same types and values in the same order, the same redirect URL, 404, or 405 with the same
methods; `Router.allowed_methods` must equal `MapAdapter.allowed_methods`.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from bustapi._core import Router
from bustapi.routing import compile_router

STATICS = ["a", "b", "ab", "x.y", "é", "1", "v", "-", "a b"]
VARIABLES = ["x", "y", "z", "w"]
ENDPOINTS = ["e0", "e1", "e2"]
METHODS = ["GET", "POST", "PUT", "DELETE"]
REQUEST_METHODS = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "get", "--"]
URLS_PER_MAP = 30
UUIDS = [str(uuid.UUID(int=n * 0x1111_2222_3333_4444)) for n in (1, 7, 99)]

converters = st.one_of(
    st.just(""),
    st.sampled_from(["string", "default"]),
    st.builds("string(length={})".format, st.integers(0, 3)),
    st.builds("string(minlength={}, maxlength={})".format, st.integers(0, 2), st.integers(2, 4)),
    st.builds("string({})".format, st.integers(1, 3)),
    st.sampled_from(["int", "int(signed=True)", "int(fixed_digits=2)", "int(min=3)", "int(max=9)"]),
    st.builds(
        "int(min={}, max={}, signed={})".format,
        st.integers(0, 5),
        st.integers(5, 99),
        st.booleans(),
    ),
    st.builds("int(max={}.5)".format, st.integers(0, 20)),
    st.sampled_from(
        ["float", "float(signed=True)", "float(max=2.5)", "float(min=1)", "float(1,3)"]
    ),
    st.sampled_from(["path", "uuid"]),
    st.lists(st.sampled_from(["a", "b", "ab", '"x.y"', "'1'", "v"]), min_size=1, max_size=3).map(
        lambda items: f"any({', '.join(items)})"
    ),
)


@dataclass
class RuleDraft:
    segments: list[tuple[str, str | None, str]]  # (prefix, converter or None, suffix)
    trailing_slash: bool
    endpoint: str
    methods: list[str] | None
    strict_slashes: bool | None
    merge_slashes: bool | None
    defaults: dict[str, Any] = field(default_factory=dict)

    def rule_string(self) -> str:
        out = []
        names = iter(VARIABLES)
        for prefix, converter, suffix in self.segments:
            middle = ""
            if converter is not None:
                name = next(names)
                middle = f"<{converter}:{name}>" if converter else f"<{name}>"
            out.append(prefix + middle + suffix)
        return "/" + "/".join(out) + ("/" if self.trailing_slash and out else "")


segment = st.one_of(
    st.tuples(st.sampled_from(STATICS), st.none(), st.just("")),
    st.tuples(st.just(""), converters, st.just("")),
    st.tuples(st.sampled_from(["", "v", "a."]), converters, st.sampled_from(["", ".json", "-a"])),
    st.just(("", None, "")),  # an empty segment: a double slash in the rule
)
default_values = st.sampled_from([1, 2, "a", "1", 1.0, 2.5, True, None, uuid.UUID(UUIDS[0])])

rule_drafts = st.builds(
    RuleDraft,
    segments=st.lists(segment, max_size=3),
    trailing_slash=st.booleans(),
    endpoint=st.sampled_from(ENDPOINTS),
    methods=st.one_of(st.none(), st.lists(st.sampled_from(METHODS), min_size=1, unique=True)),
    strict_slashes=st.sampled_from([None, True, False]),
    merge_slashes=st.sampled_from([None, None, True, False]),
    defaults=st.dictionaries(st.sampled_from(VARIABLES[:2]), default_values, max_size=1),
)


@dataclass
class MapDraft:
    rules: list[RuleDraft]
    strict_slashes: bool
    merge_slashes: bool
    redirect_defaults: bool


map_drafts = st.builds(
    MapDraft,
    rules=st.lists(rule_drafts, min_size=1, max_size=6),
    strict_slashes=st.booleans(),
    merge_slashes=st.booleans(),
    redirect_defaults=st.booleans(),
)


def build_map(draft: MapDraft) -> Map | None:
    rules = [
        Rule(
            r.rule_string(),
            endpoint=r.endpoint,
            methods=r.methods,
            strict_slashes=r.strict_slashes,
            merge_slashes=r.merge_slashes,
            defaults=r.defaults or None,
        )
        for r in draft.rules
    ]
    try:
        return Map(
            rules,
            strict_slashes=draft.strict_slashes,
            merge_slashes=draft.merge_slashes,
            redirect_defaults=draft.redirect_defaults,
        )
    except (ValueError, TypeError):
        return None  # Werkzeug itself refuses the map (e.g. a default its converter cannot build)


def converter_value(rng: random.Random, converter: str) -> str:
    """Something the converter matches, or nearly does."""
    if converter.startswith("int"):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice([1, 1, 2, 2, 3, 25])))
        return rng.choice(["", "", "", "-", "+"]) + rng.choice([digits, digits, "٣" + digits])
    if converter.startswith("float"):
        whole = str(rng.randint(0, 4))
        number = rng.choice([f"{whole}.{rng.randint(0, 9)}", whole, "1e3"])
        return rng.choice(["", "", "-"]) + number
    if converter == "uuid":
        value = rng.choice(UUIDS)
        return rng.choice([value, value.upper(), value[:-1], value.replace("-", "")])
    if converter == "path":
        return rng.choice(["a", "a/b", "a/b/", "a//b", "é/x", "/a"])
    return rng.choice([*STATICS, "zz", "x.y", "", "١", "%2F", "a\nb"])


def random_url(rng: random.Random, drafts: list[RuleDraft]) -> str:
    draft = rng.choice(drafts)
    parts = []
    for prefix, converter, suffix in draft.segments:
        middle = "" if converter is None else converter_value(rng, converter)
        if rng.random() < 0.1:
            middle = rng.choice(STATICS)
        parts.append(prefix + middle + suffix)
    path = "/" + "/".join(parts)
    if draft.trailing_slash and parts:
        path += "/"
    roll = rng.random()
    if roll < 0.15:
        path = path + "/" if not path.endswith("/") else path[:-1]
    elif roll < 0.25:
        at = rng.randrange(len(path) + 1)
        path = path[:at] + rng.choice(["/", "//", "///"]) + path[at:]
    elif roll < 0.3:
        path = rng.choice(["", "/", "//", "%", "\x00", "/é/", "/a/b/c/d", "//a//b//"])
    elif roll < 0.35:
        path = path.lstrip("/")
    return path


def werkzeug_outcome(adapter: Any, path: str, method: str) -> tuple[Any, ...]:
    try:
        rule, args = adapter.match(path, method, return_rule=True)
    except RequestRedirect as e:
        return ("redirect", e.new_url)
    except MethodNotAllowed as e:
        return ("method_not_allowed", sorted(e.valid_methods or []))
    except NotFound:
        return ("not_found",)
    return ("match", rule, typed(args))


def rust_outcome(router: Router, path: str, method: str) -> tuple[Any, ...]:
    result = router.match(path, method)
    if result[0] == "match":
        return ("match", router.rules[result[1]], typed(result[2]))
    if result[0] == "redirect":
        return ("redirect", "http://localhost" + result[1])
    return result


def typed(args: Any) -> list[tuple[str, str, str]]:
    return [(k, type(v).__name__, repr(v)) for k, v in args.items()]


@dataclass
class Tally:
    maps: int = 0
    unsupported: int = 0
    refused_by_werkzeug: int = 0
    cases: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)


TALLY = Tally()


@settings(
    max_examples=450,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(draft=map_drafts, rng=st.randoms(use_true_random=False))
def test_router_matches_werkzeug(draft: MapDraft, rng: random.Random) -> None:
    url_map = build_map(draft)
    if url_map is None:
        TALLY.refused_by_werkzeug += 1
        return
    TALLY.maps += 1
    router = compile_router(url_map)
    if router is None:
        TALLY.unsupported += 1
        return
    adapter = url_map.bind("localhost")
    for _ in range(URLS_PER_MAP):
        path = random_url(rng, draft.rules)
        method = rng.choice(REQUEST_METHODS)
        expected = werkzeug_outcome(adapter, path, method)
        got = rust_outcome(router, path, method)
        rules = [r.rule_string() for r in draft.rules]
        assert got == expected, f"{path!r} {method} on {rules}"
        assert router.allowed_methods(path) == sorted(adapter.allowed_methods(path)), path
        TALLY.cases += 1
        TALLY.outcomes[expected[0]] = TALLY.outcomes.get(expected[0], 0) + 1


def test_differential_volume() -> None:
    """Runs after the property test: enough cases were compared, and most maps were supported."""
    if TALLY.maps == 0:
        pytest.skip("run together with test_router_matches_werkzeug")
    print(f"\ndifferential: {TALLY}")
    assert TALLY.cases >= 10_000
    assert TALLY.unsupported <= TALLY.maps // 10
    assert set(TALLY.outcomes) == {"match", "redirect", "not_found", "method_not_allowed"}
