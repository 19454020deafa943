"""The shape of compat/.work/results.json, and reading pytest's JUnit XML into it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TypedDict

#: test id ("classname::name") -> (outcome, first line of the message);
#: outcome is "passed", "failed", "skipped" or "errors".
Outcomes = dict[str, tuple[str, str]]

_RANK = {"passed": 0, "skipped": 1, "failed": 2, "errors": 3}
_KIND = {"failure": "failed", "error": "errors", "skipped": "skipped"}


class Counts(TypedDict):
    passed: int
    failed: int
    skipped: int
    errors: int


class Transport(TypedDict):
    transport: str  # "wsgi" or "http"
    server: str  # "engine" or "werkzeug" (the stand-in)
    requests: dict[str, int]  # "http" / "in-process:<reason>" -> count


class _ModeRequired(TypedDict):
    returncode: int
    timed_out: bool
    duration_s: float
    counts: Counts
    outcomes: Outcomes
    log: str


class ModeResult(_ModeRequired, total=False):
    transport: Transport
    of_baseline_pct: float | None


class SuiteResult(TypedDict):
    title: str
    version: str
    modes: dict[str, ModeResult]


class Document(TypedDict):
    generated: str
    commit: str
    python: str
    suites: dict[str, SuiteResult]


def parse_junit(path: Path) -> Outcomes:
    """One outcome per test; a test reported twice (a failure, then a teardown error) keeps the
    worst."""
    outcomes: Outcomes = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        classname, name = case.get("classname", ""), case.get("name", "")
        test = f"{classname}::{name}" if classname else name
        outcome, message = "passed", ""
        for child in case:
            kind = _KIND.get(child.tag)
            if kind and _RANK[kind] > _RANK[outcome]:
                outcome = kind
                lines = (child.get("message") or "").strip().splitlines()
                message = lines[0][:300] if lines else ""
        previous = outcomes.get(test)
        if previous is None or _RANK[outcome] > _RANK[previous[0]]:
            outcomes[test] = (outcome, message)
    return outcomes


def count(outcomes: Outcomes) -> Counts:
    counts = Counts(passed=0, failed=0, skipped=0, errors=0)
    for outcome, _ in outcomes.values():
        counts[outcome] += 1  # type: ignore[literal-required]
    return counts


def passed(result: ModeResult) -> set[str]:
    return {test for test, (outcome, _) in result["outcomes"].items() if outcome == "passed"}


def of_baseline(modes: dict[str, ModeResult], mode: str) -> float | None:
    """Percentage of the tests passing on Flask that also pass in `mode`."""
    base, other = modes.get("flask"), modes.get(mode)
    if base is None or other is None or not passed(base):
        return None
    return round(100.0 * len(passed(base) & passed(other)) / len(passed(base)), 2)


def lost(modes: dict[str, ModeResult], mode: str) -> list[str]:
    """Tests passing on Flask but not in `mode`."""
    base, other = modes.get("flask"), modes.get(mode)
    if base is None or other is None:
        return []
    return sorted(passed(base) - passed(other))
