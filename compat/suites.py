"""compat/suites.toml, loaded: the peer suites and their exact pins."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tomllib


@dataclass(frozen=True)
class Suite:
    name: str
    title: str
    version: str
    sdist: str
    dir: str
    tests: list[str]
    requirements: list[str]  # common pins + the suite's own
    pythonpath: list[str] = field(default_factory=list)


def load_suites(path: Path) -> list[Suite]:
    data = tomllib.loads(path.read_text())
    common: list[str] = data["common"]["requirements"]
    suites = []
    for raw in data["suite"]:
        raw = dict(raw)
        raw["requirements"] = [*common, *raw.get("requirements", [])]
        suites.append(Suite(**raw))
    for suite in suites:
        loose = [r for r in suite.requirements if "==" not in r]
        if loose:
            raise ValueError(f"{suite.name}: pin exact versions, not {loose}")
    return suites
