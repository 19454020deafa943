"""The `bustapi` command: `run` serves a Flask app on the engine (flags as `flask run`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import typing as t

import click
import flask
from flask.cli import ScriptInfo


def load_app(import_path: str | None) -> flask.Flask:
    """Load an app like `flask --app`: `module:app`, `module:create_app()`, a module or a
    file path, or (with none given) `wsgi.py`/`app.py` from the current directory. Flask apps
    created during the import are BustAPI apps (`bustapi.flask_patch`); one created earlier is
    adopted in place."""
    import bustapi.flask_patch  # noqa: F401

    from .app import adopt

    if import_path is None:
        import_path = os.environ.get("FLASK_APP")
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    app = ScriptInfo(app_import_path=import_path, set_debug_flag=False).load_app()
    return adopt(app)


def _serve_workers(argv: list[str], workers: int) -> None:
    """Run `workers` copies of this command sharing the port (SO_REUSEPORT); restart any that
    dies; on SIGINT/SIGTERM stop them all gracefully."""
    stopping = False

    def stop(signum: int, frame: t.Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    cmd = [sys.executable, "-m", "bustapi", *argv, "--workers", "1", "--reuse-port"]
    procs = [subprocess.Popen(cmd) for _ in range(workers)]
    while not stopping:
        time.sleep(0.2)
        for i, proc in enumerate(procs):
            if proc.poll() is not None and not stopping:
                click.echo(f" * worker {proc.pid} exited ({proc.returncode}); restarting", err=True)
                procs[i] = subprocess.Popen(cmd)
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        proc.wait()


@click.group()
@click.version_option(package_name="bustapi")
def main() -> None:
    """BustAPI: serve, check and compile Flask applications."""


@main.command()
@click.argument("app_path", required=False, metavar="[MODULE:APP]")
@click.option("--app", "app_option", help="Same as MODULE:APP (as `flask --app`).")
@click.option("--host", "-h", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", "-p", default=5000, type=int, show_default=True, help="Port to bind.")
@click.option("--threads", default=8, type=int, show_default=True, help="Python worker threads.")
@click.option("--workers", default=1, type=int, show_default=True, help="Processes (SO_REUSEPORT).")
@click.option("--unix-socket", type=click.Path(), help="Listen on a Unix socket instead.")
@click.option("--reload/--no-reload", default=False, help="Restart when source files change.")
@click.option("--debug/--no-debug", default=None, help="Set app.debug (as `flask --debug`).")
@click.option("--access-log/--no-access-log", default=False, help="Log each request.")
@click.option("--reuse-port", is_flag=True, hidden=True)
def run(
    app_path: str | None,
    app_option: str | None,
    host: str,
    port: int,
    threads: int,
    workers: int,
    unix_socket: str | None,
    reload: bool,
    debug: bool | None,
    access_log: bool,
    reuse_port: bool,
) -> None:
    """Serve a Flask application on the BustAPI engine."""
    import_path = app_path or app_option
    if workers > 1:
        argv = [a for a in sys.argv[1:] if not a.startswith("--workers")]
        if "--workers" in sys.argv:
            i = sys.argv.index("--workers")
            argv = sys.argv[1:i] + sys.argv[i + 2 :]
        _serve_workers(argv, workers)
        return

    def serve_app() -> None:
        from .serving import serve

        application = load_app(import_path)
        if debug is not None:
            application.debug = debug

        def ready(where: str) -> None:
            click.echo(f" * Serving Flask app '{application.name}' on BustAPI at {where}", err=True)

        serve(
            application,
            host=host,
            port=port,
            threads=threads,
            unix_socket=unix_socket,
            reuse_port=reuse_port,
            access_log=access_log,
            ready=ready,
        )

    try:
        load_app(import_path)  # fail fast, before any server or reloader starts
    except Exception as e:  # noqa: BLE001 - shown to the user as a usage error
        raise click.UsageError(str(e)) from None
    if reload:
        from werkzeug._reloader import run_with_reloader

        run_with_reloader(serve_app)
    else:
        serve_app()


from .checker_cli import check, routes  # noqa: E402

main.add_command(check)
main.add_command(routes)

from .build_cli import build  # noqa: E402

main.add_command(build)
