"""Random Werkzeug maps for the differential tests of the Rust router (matching and building).

Rule sets are drawn by Hypothesis from a small alphabet of static segments, converters with random
arguments, trailing slashes, strict/merge-slashes settings, method subsets, defaults and shared
endpoints.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from werkzeug.routing import Map, Rule

STATICS = ["a", "b", "ab", "x.y", "é", "1", "v", "-", "a b"]
VARIABLES = ["x", "y", "z", "w"]
ENDPOINTS = ["e0", "e1", "e2"]
METHODS = ["GET", "POST", "PUT", "DELETE"]
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
