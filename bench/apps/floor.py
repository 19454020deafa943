"""The floor row: a bare Python callback on BustAPI's own server, no Flask at all.

`bustapi.serving.serve_callback(callback, host, port)` answers every request with status 200,
text/plain and the bytes `callback(request)` returns. The gap between this row and the Flask
app's `GET /` on the engine is the cost of BustAPI's Flask dispatch.

Usage: `.venv/bin/python bench/apps/floor.py HOST PORT`
"""

from __future__ import annotations

import sys


def main() -> int:
    host, port = sys.argv[1], int(sys.argv[2])
    try:
        from bustapi.serving import serve_callback  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        print(
            f"floor: bustapi.serving.serve_callback is not available ({exc}); "
            "build the engine with `make develop` from a tree that has it",
            file=sys.stderr,
        )
        return 3
    serve_callback(lambda request: b"Hello, World!", host, port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
