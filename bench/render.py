"""Compiled template vs Jinja2: render time of the benchmark's `/page` template (100 rows, three
autoescaped fields each) in a binary built by `bustapi build --release` — both renders in the same
process, same template object, same context, best of 5 batches. Issue 5's target: ≥ 5× faster.

    .venv/bin/python bench/render.py [-n 2000]
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
APPS = BENCH / "apps"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="renders per measurement")
    args = parser.parse_args()
    bustapi = Path(sys.executable).parent / "bustapi"
    cmd = [str(bustapi), "build", "render_app.py", "-o", str(BENCH / ".build" / "render_app")]
    cmd += ["--release", "--name", "bench-render-app"]
    exe = subprocess.run(cmd, cwd=APPS, stdout=subprocess.PIPE, text=True, check=True)
    binary = exe.stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--threads", "1"], cwd=APPS)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the built server did not start") from None
                time.sleep(0.05)
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
