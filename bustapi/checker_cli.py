"""`bustapi check` and `bustapi routes`: the checker's command line.

Both call the Rust compiler crate through `bustapi._core`; `routes` without `--static` imports the
app the way `flask --app` does and prints its live `url_map` in the same shape, so the two can be
compared.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
from typing import Any

import click

FORMATS = ["text", "json", "sarif", "markdown", "github"]


def _codes(values: tuple[str, ...]) -> list[str]:
    """`--select BA1,BA401 --select BA2` -> ["BA1", "BA401", "BA2"]."""
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default=None,
    help="Lowest severity that makes the exit code 1 (default: error, or [tool.bustapi] fail-on).",
)
@click.option("--select", multiple=True, help="Only these codes or prefixes (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these codes or prefixes (comma-separated).")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="pyproject.toml to read [tool.bustapi] from (default: the nearest one).",
)
@click.option(
    "--color/--no-color", default=None, help="Colour the text output (default: on a terminal)."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=str), help="Write the report here."
)
@click.option("--list-rules", is_flag=True, help="List the rules and exit.")
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    output_format: str,
    fail_on: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config: str | None,
    color: bool | None,
    output: str | None,
    list_rules: bool,
) -> None:
    """Check a Flask project for what will not run, or runs differently, on BustAPI.

    PATHS are files or directories (default: the current directory). Exit status: 0 when no
    finding reaches --fail-on, 1 when one does, 2 on a usage error or unreadable input.
    """
    from . import _core

    if list_rules:
        for rule in json.loads(_core.rules()):
            code, severity, name = rule["code"], rule["severity"], rule["name"]
            click.echo(f"{code}  {severity:<8} {name:<26} {rule['summary']}")
        ctx.exit(0)
    options: dict[str, Any] = {
        "format": output_format,
        "ignore": _codes(ignore),
        "color": (sys.stdout.isatty() and output is None) if color is None else color,
    }
    if fail_on is not None:
        options["fail_on"] = fail_on
    if select:
        options["select"] = _codes(select)
    if config is not None:
        options["config"] = config
    report, errors, code = _core.check(list(paths) or ["."], json.dumps(options))
    if errors:
        click.echo(errors, err=True, nl=False)
    if output is not None:
        with open(output, "w", encoding="utf-8") as f:
            f.write(report)
    else:
        click.echo(report, nl=False)
    ctx.exit(code)


def live_routes(target: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Import the app like `flask --app TARGET` and describe its `url_map`."""
    from flask.cli import ScriptInfo

    app = ScriptInfo(app_import_path=target or os.environ.get("FLASK_APP")).load_app()
    routes: list[dict[str, Any]] = []
    for rule in app.url_map.iter_rules():
        entry: dict[str, Any] = {
            "rule": rule.rule,
            "methods": sorted(rule.methods or ()),
            "endpoint": rule.endpoint,
        }
        if rule.subdomain:
            entry["subdomain"] = rule.subdomain
        view = app.view_functions.get(rule.endpoint)
        code = getattr(inspect.unwrap(view), "__code__", None) if view is not None else None
        if code is not None:
            entry["file"] = os.path.relpath(code.co_filename)
            entry["line"] = code.co_firstlineno
        routes.append(entry)
    return app.import_name, routes


def _print_table(routes: list[dict[str, Any]]) -> None:
    rows = [
        (
            r.get("rule") or "?",
            ", ".join(r["methods"]),
            r.get("endpoint") or "?",
            f"{r['file']}:{r['line']}" if "file" in r else "",
            r.get("unresolved", ""),
        )
        for r in routes
    ]
    header = ("Rule", "Methods", "Endpoint", "Source", "")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        line = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4]))
        if row[4]:
            line += f"  ! {row[4]}"
        click.echo(line.rstrip())


@click.command("routes")
@click.argument("target", required=False)
@click.option(
    "--static", "static", is_flag=True, help="Read the routes from source, without importing."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.pass_context
def routes(ctx: click.Context, target: str | None, static: bool, output_format: str) -> None:
    """Show an application's routes.

    TARGET is a file, a package directory or module:app / module:create_app() (default: the
    FLASK_APP variable, else wsgi.py or app.py here). With --static the table comes from the
    source alone — the model `bustapi build` uses; without it the app is imported and its live
    url_map is shown.
    """
    if static:
        from . import _core

        try:
            spec = target or os.environ.get("FLASK_APP") or "."
            result = json.loads(_core.static_routes(spec, "."))
        except OSError as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(2)
        table: list[dict[str, Any]] = result["routes"]
        for note in result["notes"]:
            click.echo(f"warning: {note}", err=True)
    else:
        try:
            _, table = live_routes(target)
        except Exception as e:  # any import-time failure of the user's app
            click.echo(f"error: could not load the application: {e}", err=True)
            ctx.exit(2)
    if output_format == "json":
        click.echo(json.dumps(table, indent=2))
    else:
        _print_table(table)
