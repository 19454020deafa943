"""Results: per-run figures, medians, markdown tables with ratios, the target check, JSON."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from .endpoints import BY_NAME as ENDPOINTS
from .peers import BY_NAME as PEERS
from .peers import FLOOR, OURS


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_req: float
    core_use: float  # server CPU seconds / wall seconds (1.0 = one core saturated)
    other_load: float  # busy time of the server's core not spent by the server / wall seconds
    client_use: float  # wrk's CPU seconds / wall seconds (near 1.0: the client is the limit)
    client_other_load: float  # the same as other_load, for wrk's core
    non_2xx: int
    socket_errors: int


@dataclass
class Row:
    peer: str
    endpoint: str
    ok: bool = False
    reason: str = ""
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float | None:
        if not self.ok or not self.runs:
            return None
        return float(statistics.median(getattr(r, attr) for r in self.runs))

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["median"] = {
            k: self.median(k)
            for k in (
                "rps",
                "p50_ms",
                "p99_ms",
                "cpu_us_per_req",
                "core_use",
                "other_load",
                "client_other_load",
            )
        }
        return out


Results = dict[tuple[str, str], Row]


def _num(v: float | None, fmt: str) -> str:
    return "–" if v is None else format(v, fmt)


def _cell(text: str, limit: int = 240) -> str:
    """Text safe inside a markdown table cell (the JSON keeps the full reason)."""
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    return ours / theirs if ours and theirs else None


def tables(results: Results, peers: list[str], endpoints: list[str]) -> str:
    out: list[str] = []
    for ep in endpoints:
        out.append(f"\n### {ENDPOINTS[ep].label}\n")
        out.append(
            "| peer | req/s | p50 ms | p99 ms | CPU µs/req | core use | other load srv / wrk | "
            "BustAPI × (req/s) | BustAPI × (CPU/req) |"
        )
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        ours = results.get((OURS, ep))
        for name in peers:
            row = results.get((name, ep))
            if row is None:
                continue
            title = PEERS[name].title
            if not row.ok:
                out.append(f"| {title} | **{_cell(row.reason or 'failed')}** | | | | | | | |")
                continue
            rps, cpu = row.median("rps"), row.median("cpu_us_per_req")
            by_rps = by_cpu = None
            if ours is not None and name != OURS:
                by_rps = _ratio(ours.median("rps"), rps)
                by_cpu = _ratio(cpu, ours.median("cpu_us_per_req"))
            cells = [
                _num(rps, ",.0f"),
                _num(row.median("p50_ms"), ".2f"),
                _num(row.median("p99_ms"), ".2f"),
                _num(cpu, ".1f"),
                _num(row.median("core_use"), ".0%"),
                _num(row.median("other_load"), ".0%")
                + " / "
                + _num(row.median("client_other_load"), ".0%"),
                _num(by_rps, ".2f"),
                _num(by_cpu, ".2f"),
            ]
            out.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(out)


# Issue 5's server: the binary `bustapi build --release` makes of the same app.
BUILT = "built"

# (row measured, endpoint, row compared with, minimum advantage), from the issues' "What it
# must show": issue 2's ratios against the peers, and issue 5's "the built binary is no slower
# than `bustapi run` on any endpoint".
TARGETS: list[tuple[str, str, str, float]] = [
    *[
        (OURS, ep, p, r)
        for ep in ("text", "json")
        for p, r in (("robyn", 1.5), ("bustapi015", 2.0), ("granian", 3.5), ("gunicorn", 10.0))
    ],
    (OURS, "user", "robyn", 1.5),
    (OURS, "echo", "robyn", 1.5),
    *[(OURS, "page", p, 1.0) for p in ("gunicorn", "granian", "robyn", "fastapi", "bustapi015")],
    *[(BUILT, ep, OURS, 1.0) for ep in ENDPOINTS],
]
FLOOR_MAX = 1.5  # BustAPI's hello-world CPU/req at most this times the floor's


def _verdict(value: float | None, ok: bool) -> str:
    return "n/a" if value is None else ("PASS" if ok else "FAIL")


def targets(results: Results) -> tuple[str, list[dict[str, Any]]]:
    """The issue's targets that this run can speak to (both rows selected), as markdown + data."""
    lines = [
        "| check | target | by req/s | by CPU/req | verdict (req/s) | verdict (CPU) |",
        "|---|---:|---:|---:|---|---|",
    ]
    checks: list[dict[str, Any]] = []
    for row, ep, peer, want in TARGETS:
        ours, theirs = results.get((row, ep)), results.get((peer, ep))
        if ours is None or theirs is None:
            continue
        by_rps = _ratio(ours.median("rps"), theirs.median("rps"))
        by_cpu = _ratio(theirs.median("cpu_us_per_req"), ours.median("cpu_us_per_req"))
        what = f"{ENDPOINTS[ep].label} vs {PEERS[peer].title}"
        if row != OURS:
            what = f"{ENDPOINTS[ep].label}: {PEERS[row].title} vs {PEERS[peer].title}"
        checks.append({"check": what, "target": want, "by_rps": by_rps, "by_cpu": by_cpu})
        lines.append(
            f"| {what} | ≥ {want:g}× | {_num(by_rps, '.2f')} | {_num(by_cpu, '.2f')} | "
            f"{_verdict(by_rps, (by_rps or 0) >= want)} | "
            f"{_verdict(by_cpu, (by_cpu or 0) >= want)} |"
        )
    ours, floor = results.get((OURS, "text")), results.get((FLOOR, "text"))
    if ours is not None and floor is not None:
        cost = _ratio(ours.median("cpu_us_per_req"), floor.median("cpu_us_per_req"))
        what = "GET / CPU/req vs the floor (bare callback)"
        checks.append({"check": what, "target": FLOOR_MAX, "by_cpu": cost})
        lines.append(
            f"| {what} | ≤ {FLOOR_MAX:g}× | | {_num(cost, '.2f')} | | "
            f"{_verdict(cost, cost is not None and cost <= FLOOR_MAX)} |"
        )
    if not checks:
        return "(no target applies: run BustAPI together with the peers it is compared to)", []
    return "\n".join(lines), checks
