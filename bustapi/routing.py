"""Freeze a live `werkzeug.routing.Map` into the spec `bustapi._core.Router` compiles.

The Rust router reproduces Werkzeug's matching; what it does not reproduce (custom converters, host
and subdomain matching, `redirect_to`, websocket rules, ...) makes `Router(...)` raise `ValueError`
and `compile_router` return ``None``, so the caller keeps matching with Werkzeug.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from werkzeug.routing import Map, Rule
from werkzeug.routing.converters import DEFAULT_CONVERTERS
from werkzeug.routing.matcher import State, StateMachineMatcher

if TYPE_CHECKING:
    from ._core import Router

__all__ = ["MapSpec", "RuleSpec", "compile_router", "freeze_map"]


class RuleSpec(TypedDict):
    """One bound rule, as the Rust router needs it."""

    rule: str
    endpoint: str
    methods: list[str] | None
    strict_slashes: bool
    merge_slashes: bool
    defaults: dict[str, Any]
    build_only: bool
    endpoint_rank: int
    subdomain: str
    redirect_to: bool
    alias: bool
    websocket: bool
    unsupported: str | None
    source: Rule


class MapSpec(TypedDict):
    """A frozen map. ``rules`` are in an order that rebuilds Werkzeug's matcher exactly."""

    rules: list[RuleSpec]
    strict_slashes: bool
    merge_slashes: bool
    redirect_defaults: bool
    host_matching: bool
    overridden_converters: list[str]
    unsupported: str | None


def _matcher_order(url_map: Map) -> list[Rule] | None:
    """The matchable rules, depth first through Werkzeug's state machine.

    Rebuilding a matcher from this order gives the same tree: each state keeps its rules in order,
    and dynamic transitions of equal weight keep their order (the first rule added through each
    comes first). ``Map`` keeps no global insertion order, so this is the order to hand to Rust.
    """
    matcher = getattr(url_map, "_matcher", None)
    if type(matcher) is not StateMachineMatcher:
        return None
    order: list[Rule] = []
    stack: list[State] = [matcher._root]
    while stack:
        state = stack.pop()
        order.extend(state.rules)
        children = [*state.static.values(), *(child for _, child in state.dynamic)]
        stack.extend(reversed(children))
    return order


def _rule_spec(rule: Rule, endpoint_rank: int) -> RuleSpec:
    unsupported = None
    if type(rule) is not Rule:
        unsupported = f"Rule subclass {type(rule).__qualname__}"
    elif not isinstance(rule.endpoint, str):
        unsupported = f"endpoint {rule.endpoint!r} is not a str"
    return RuleSpec(
        rule=rule.rule,
        endpoint=str(rule.endpoint),
        methods=sorted(rule.methods) if rule.methods is not None else None,
        strict_slashes=bool(rule.strict_slashes),
        merge_slashes=bool(rule.merge_slashes),
        defaults=dict(rule.defaults) if rule.defaults else {},
        build_only=rule.build_only,
        endpoint_rank=endpoint_rank,
        subdomain=rule.subdomain or "",
        redirect_to=rule.redirect_to is not None,
        alias=rule.alias,
        websocket=rule.websocket,
        unsupported=unsupported,
        source=rule,
    )


def freeze_map(url_map: Map) -> MapSpec:
    """The spec of ``url_map`` for ``bustapi._core.Router``, rule ``i`` of which is ``rules[i]``."""
    url_map.update()
    unsupported = None
    all_rules = list(url_map.iter_rules())
    order = _matcher_order(url_map)
    matchable = [rule for rule in all_rules if not rule.build_only]
    if order is None:
        unsupported = f"unknown matcher {type(getattr(url_map, '_matcher', None)).__name__}"
        order = matchable
    elif sorted(map(id, order)) != sorted(map(id, matchable)):
        unsupported = "the matcher's rules differ from the map's rules"
        order = matchable
    order += [rule for rule in all_rules if rule.build_only]

    ranks: dict[int, int] = {}
    for endpoint in dict.fromkeys(rule.endpoint for rule in all_rules):
        for rank, rule in enumerate(url_map.iter_rules(endpoint)):
            ranks[id(rule)] = rank

    overridden = [
        name
        for name, converter in DEFAULT_CONVERTERS.items()
        if url_map.converters.get(name) is not converter
    ]
    return MapSpec(
        rules=[_rule_spec(rule, ranks.get(id(rule), 0)) for rule in order],
        strict_slashes=url_map.strict_slashes,
        merge_slashes=url_map.merge_slashes,
        redirect_defaults=url_map.redirect_defaults,
        host_matching=url_map.host_matching,
        overridden_converters=overridden,
        unsupported=unsupported,
    )


def compile_router(url_map: Map) -> Router | None:
    """A Rust router for ``url_map``, or ``None`` when the map needs Werkzeug's own matching."""
    from ._core import Router

    try:
        return Router(freeze_map(url_map))
    except ValueError:
        return None
