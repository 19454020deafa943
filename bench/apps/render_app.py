"""`bench/render.py`'s app: the benchmark app plus one route that times the `/page` template's
render in-process, compiled (the built binary's `render`) against Jinja2 (`jinja2.Template.render`
on the same template object, same context), so both run in the same interpreter on the same data.
"""

from __future__ import annotations

import time
from typing import Any

import jinja2
from flask import request
from flask_app import ROWS, app


@app.get("/_render_bench")
def render_bench() -> dict[str, Any]:
    n = int(request.args.get("n", "2000"))
    template = app.jinja_env.get_template("page.html")
    context = {"title": "BustAPI bench", "rows": ROWS}
    app.update_template_context(context)
    compiled = "render" in template.__dict__
    results: dict[str, Any] = {"compiled": compiled, "n": n}
    runs = {"jinja2": lambda: jinja2.Template.render(template, context)}
    if compiled:
        runs["compiled"] = lambda: template.render(context)
        assert runs["compiled"]() == runs["jinja2"](), "compiled output differs from Jinja2"
    for name, run in runs.items():
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(n // 5):
                run()
            best = min(best, (time.perf_counter() - start) / (n // 5))
        results[f"{name}_us"] = round(best * 1e6, 2)
    if compiled:
        results["speedup"] = round(results["jinja2_us"] / results["compiled_us"], 2)
    return results
