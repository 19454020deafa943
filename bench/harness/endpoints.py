"""The five benchmarked endpoints: how to request each one and how to tell a right answer.

Every peer's app must answer these exactly; a wrong answer fails the row before any load is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

HELLO = "Hello, World!"


def _echo_payload() -> dict[str, Any]:
    """A deterministic JSON object that serialises (compactly) to exactly 1024 bytes."""
    data: dict[str, Any] = {
        "id": 12345,
        "name": "benchmark payload",
        "active": True,
        "score": 0.5,
        "tags": ["alpha", "beta", "gamma", "delta"],
        "items": [{"n": i, "label": f"item-{i:03d}", "ok": i % 2 == 0} for i in range(16)],
        "pad": "",
    }
    size = len(json.dumps(data, separators=(",", ":")))
    data["pad"] = "x" * (1024 - size)
    return data


ECHO_DATA = _echo_payload()
ECHO_BODY = json.dumps(ECHO_DATA, separators=(",", ":")).encode()
assert len(ECHO_BODY) == 1024

PAGE_ROWS = [
    f"<tr><td>{i}</td><td>Item {i} &lt;&amp;&gt;</td><td>{i * 1.25:.2f}</td></tr>"
    for i in range(100)
]


def _check_text(body: bytes) -> str | None:
    text = body.decode("utf-8", "replace")
    return None if text == HELLO else f"expected {HELLO!r}, got {text[:80]!r}"


def _check_json(expected: Any) -> Callable[[bytes], str | None]:
    def check(body: bytes) -> str | None:
        try:
            got = json.loads(body)
        except ValueError:
            return f"not JSON: {body[:80]!r}"
        return None if got == expected else f"expected {expected!r:.80}, got {got!r:.80}"

    return check


def _check_page(body: bytes) -> str | None:
    html = body.decode("utf-8", "replace")
    missing = [row for row in PAGE_ROWS if row not in html]
    if missing:
        return f"{len(missing)} of 100 rows missing or wrongly escaped, e.g. {missing[0]!r}"
    if html.count("<tr>") != 100 or "<title>BustAPI bench</title>" not in html:
        return "page does not have exactly 100 rows and the title"
    return None


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    check: Callable[[bytes], str | None]
    body: bytes | None = None
    content_type: str | None = None

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("text", "GET", "/", _check_text),
    Endpoint("json", "GET", "/json", _check_json({"message": HELLO})),
    Endpoint("user", "GET", "/user/42?q=x", _check_json({"id": 42, "q": "x"})),
    Endpoint("echo", "POST", "/echo", _check_json(ECHO_DATA), ECHO_BODY, "application/json"),
    Endpoint("page", "GET", "/page", _check_page),
)
BY_NAME = {e.name: e for e in ENDPOINTS}


def select(spec: str | None) -> list[Endpoint]:
    """Endpoints named in a comma-separated list of names (`text,json`) or paths (`/,/json`)."""
    if not spec:
        return list(ENDPOINTS)
    chosen: list[Endpoint] = []
    for item in (s.strip() for s in spec.split(",") if s.strip()):
        match = BY_NAME.get(item) or next(
            (e for e in ENDPOINTS if e.path.split("?")[0] == item or e.path == item), None
        )
        if match is None:
            names = ", ".join(f"{e.name} ({e.path})" for e in ENDPOINTS)
            raise SystemExit(f"unknown endpoint {item!r}; choose from {names}")
        if match not in chosen:
            chosen.append(match)
    return chosen
