"""Speed of `bustapi check` and `bustapi routes --static`.

1. A generated 200-module project (an app factory registering 200 blueprints of 10 routes each,
   every module importing shared constants) — checked as a whole, and its static route table.
2. Lines of Python per second over the installed standard library (the whole directory checked
   as one project: parse, model, every rule, text rendering).

Run: `python bench/check_speed.py` (after `make develop`). Prints a small table.
"""

from __future__ import annotations

import json
import sysconfig
import tempfile
import time
from pathlib import Path

from bustapi import _core

MODULES = 200
ROUTES_PER_MODULE = 10


def generate(root: Path) -> None:
    pkg = root / "proj"
    (pkg / "views").mkdir(parents=True)
    (pkg / "constants.py").write_text('API = "/api"\nVERSION = 3\n')
    (pkg / "views" / "__init__.py").write_text("")
    imports, registers = [], []
    for i in range(MODULES):
        routes = []
        for j in range(ROUTES_PER_MODULE):
            routes.append(
                f'@bp.route("/r{j}/<int:item_id>", methods=["GET", "POST"])\n'
                f"def view_{j}(item_id):\n"
                f'    """Route {j} of module {i}."""\n'
                f"    data = {{'id': item_id, 'module': {i}, 'route': {j}}}\n"
                f"    if item_id > 100:\n"
                f'        return render_template("page.html", **data)\n'
                f"    return data\n"
            )
        (pkg / "views" / f"m{i}.py").write_text(
            "from flask import Blueprint, render_template\n\n"
            "from ..constants import API, VERSION\n\n"
            f'bp = Blueprint("m{i}", __name__, url_prefix=f"{{API}}/v{{VERSION}}/m{i}")\n\n\n'
            + "\n\n".join(routes)
        )
        imports.append(f"    from .views import m{i}")
        registers.append(f"    app.register_blueprint(m{i}.bp)")
    (pkg / "__init__.py").write_text(
        "from flask import Flask\n\n\ndef create_app():\n"
        "    app = Flask(__name__)\n" + "\n".join(imports + registers) + "\n    return app\n"
    )


def best_of(n: int, fn: object) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    opts = json.dumps({"format": "json", "config": ""})
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root)
        files = list(root.rglob("*.py"))
        lines = sum(len(f.read_text().splitlines()) for f in files)
        check_s = best_of(5, lambda: _core.check([str(root)], opts))
        routes_s = best_of(5, lambda: _core.static_routes("proj:create_app()", str(root)))
        table = json.loads(_core.static_routes("proj:create_app()", str(root)))["routes"]
        assert len(table) == MODULES * ROUTES_PER_MODULE + 1, len(table)
    print(f"generated project: {len(files)} files, {lines} lines, {len(table)} routes")
    print(f"  bustapi check            {check_s * 1000:8.1f} ms")
    print(f"  bustapi routes --static  {routes_s * 1000:8.1f} ms")

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    skip = ("site-packages", "__pycache__")
    std_files = [p for p in stdlib.rglob("*.py") if not any(s in p.parts for s in skip)]
    std_lines = 0
    for p in std_files:
        try:
            std_lines += len(p.read_text(encoding="utf-8").splitlines())
        except (UnicodeDecodeError, OSError):
            pass
    std_s = best_of(3, lambda: _core.check([str(stdlib)], opts))
    print(f"standard library: {len(std_files)} files, {std_lines} lines")
    print(f"  bustapi check            {std_s:8.2f} s  = {std_lines / std_s:,.0f} lines/s")


if __name__ == "__main__":
    main()
