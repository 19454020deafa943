"""The Rust router against Werkzeug: random rule sets, random URLs, the same answer.

Rule sets come from `route_maps` (shared endpoints make default redirects happen). URLs are
built from the same pieces plus numbers, UUIDs, floats, double and trailing slashes and odd
characters. For each URL and method, `Router.match` must equal
`Map.bind("localhost").match(path, method, return_rule=True)`: the same rule, view arguments of
the same types and values in the same order, the same redirect URL, 404, or 405 with the same
methods; `Router.allowed_methods` must equal `MapAdapter.allowed_methods`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from bustapi._core import Router
from bustapi.routing import compile_router

from .route_maps import STATICS, MapDraft, RuleDraft, build_map, converter_value, map_drafts

REQUEST_METHODS = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "get", "--"]
URLS_PER_MAP = 30


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
