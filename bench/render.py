"""Compiled template vs Jinja2: render time of the benchmark's `/page` template (100 rows, three
autoescaped fields each) in a binary built by `bustapi build --release` — both renders in the same
process, same template object, same context, best of 5 batches. Issue 5's target: ≥ 5× faster.

    .venv/bin/python bench/render.py [-n 2000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

from harness.peers import APPS, built_binary
from harness.server import free_port, wait_port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="renders per measurement")
    args = parser.parse_args()
    binary = built_binary(Path(sys.executable).parent.parent, "render_app.py", "bench-render-app")
    port = free_port("127.0.0.1")
    server = subprocess.Popen([str(binary), "--port", str(port), "--threads", "1"], cwd=APPS)
    try:
        why = wait_port(server, "127.0.0.1", port, 30)
        if why is not None:
            raise SystemExit(f"the built server did not start: {why}")
        url = f"http://127.0.0.1:{port}/_render_bench?n={args.n}"
        with urllib.request.urlopen(url, timeout=300) as response:
            result = json.load(response)
    finally:
        server.terminate()
        server.wait()
    print(json.dumps(result, indent=2))
    if not result.get("compiled"):
        raise SystemExit("page.html was not compiled by the build")


if __name__ == "__main__":
    main()
