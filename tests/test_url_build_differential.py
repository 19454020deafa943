"""`Router.build` (the Rust `url_for`) against Werkzeug's `MapAdapter.build`.

Random maps from `route_maps`; for each, random endpoints (existing or not), values (ints, big
ints, floats, strs with characters that need quoting, UUIDs, bools, None, lists, extra keys that
go to the query string, keys equal or not to a rule's defaults), `_method` and the adapter's
default method. Wherever the Rust side answers, its URL must be Werkzeug's exactly; where it
declines (`None`), Werkzeug builds the URL or raises. Most buildable cases must be answered in
Rust, or the fast path would be a fast path in name only.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bustapi.routing import compile_router

from .route_maps import ENDPOINTS, UUIDS, VARIABLES, MapDraft, build_map, map_drafts

CALLS_PER_MAP = 40
METHODS = [None, None, None, "GET", "POST", "PUT", "post"]
DEFAULT_METHODS = ["GET", "GET", "POST", "PUT", "DELETE"]
EXTRA_KEYS = ["q", "page", "a b", "é"]

SCALARS: list[Any] = [
    0,
    1,
    2,
    7,
    -3,
    12,
    10**30,
    1.0,
    2.5,
    -0.5,
    1e22,
    "a",
    "1",
    "ab",
    "x.y",
    "a b",
    "a/b",
    "é",
    "&=?#+%",
    "",
    uuid.UUID(UUIDS[0]),
    UUIDS[1],
    True,
    None,
]


def random_value(rng: random.Random) -> Any:
    if rng.random() < 0.1:
        return [rng.choice(SCALARS) for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.03:
        return (rng.choice(SCALARS), rng.choice(SCALARS))
    return rng.choice(SCALARS)


def random_values(rng: random.Random) -> dict[str, Any]:
    keys = rng.sample(VARIABLES, rng.randint(0, len(VARIABLES)))
    keys += rng.sample(EXTRA_KEYS, rng.choice([0, 0, 1, 2]))
    rng.shuffle(keys)
    return {key: random_value(rng) for key in keys}


def werkzeug_build(
    url_map: Any, endpoint: str, values: dict[str, Any], method: Any, default_method: str
) -> str:
    adapter = url_map.bind("localhost", default_method=default_method)
    try:
        return str(adapter.build(endpoint, dict(values), method=method))
    except Exception as e:  # BuildError, or a converter's ValueError/TypeError
        return f"raises {type(e).__name__}"


@dataclass
class Tally:
    maps: int = 0
    cases: int = 0
    rust: int = 0
    buildable: int = 0
    query: int = 0


TALLY = Tally()


@settings(
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(draft=map_drafts, rng=st.randoms(use_true_random=False))
def test_build_matches_werkzeug(draft: MapDraft, rng: random.Random) -> None:
    url_map = build_map(draft)
    if url_map is None:
        return
    router = compile_router(url_map)
    if router is None:
        return
    TALLY.maps += 1
    for _ in range(CALLS_PER_MAP):
        endpoint = rng.choice([*ENDPOINTS, "nope"])
        values = random_values(rng)
        method = rng.choice(METHODS)
        default_method = rng.choice(DEFAULT_METHODS)
        expected = werkzeug_build(url_map, endpoint, values, method, default_method)
        got = router.build(endpoint, dict(values), method, default_method)
        TALLY.cases += 1
        if not expected.startswith("raises"):
            TALLY.buildable += 1
        if got is None:
            continue
        rules = [r.rule_string() for r in draft.rules]
        assert got == expected, f"{endpoint} {values!r} method={method} on {rules}"
        TALLY.rust += 1
        TALLY.query += "?" in got


def test_build_volume() -> None:
    """Runs after the property test: enough cases compared, and most built in Rust."""
    if TALLY.maps == 0:
        pytest.skip("run together with test_build_matches_werkzeug")
    print(f"\nbuild differential: {TALLY}")
    assert TALLY.cases >= 10_000
    assert TALLY.rust >= TALLY.buildable * 0.6
    assert TALLY.query > 100
