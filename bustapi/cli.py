"""The `bustapi` command: `run` serves a Flask app on the engine (flags as `flask run`)."""

from __future__ import annotations

import os
import signal
import socket
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


def supervise_workers(command: list[str], workers: int, unix_socket: str | None) -> None:
    """Run `workers` copies of `command` (a serving command that takes `--workers 1`,
    `--reuse-port` and `--fd`: `bustapi run …` or a built service) sharing the listening socket:
    TCP ports are shared with SO_REUSEPORT (the kernel balances connections); a Unix socket is
    bound here once and inherited. A worker that dies is restarted, with a growing pause if it
    keeps dying at start-up; SIGINT/SIGTERM stop them all gracefully."""
    stopping = False

    def stop(signum: int, frame: t.Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    cmd = [*command, "--workers", "1"]
    pass_fds: tuple[int, ...] = ()
    listener: socket.socket | None = None
    if unix_socket is not None:
        if os.path.exists(unix_socket):
            os.unlink(unix_socket)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(unix_socket)
        listener.listen(2048)
        listener.set_inheritable(True)
        pass_fds = (listener.fileno(),)
        cmd += ["--fd", str(listener.fileno())]
    else:
        cmd.append("--reuse-port")

    def spawn() -> tuple[subprocess.Popen[bytes], float]:
        return subprocess.Popen(cmd, pass_fds=pass_fds), time.monotonic()

    procs = [spawn() for _ in range(workers)]
    pause = 0.0
    try:
        while not stopping:
            time.sleep(0.2)
            for i, (proc, started) in enumerate(procs):
                if proc.poll() is None or stopping:
                    continue
                # Dying within a second of starting: back off (up to 10 s) instead of spinning.
                pause = min(max(pause * 2, 0.5), 10.0) if time.monotonic() - started < 1 else 0.0
                click.echo(
                    f" * worker {proc.pid} exited ({proc.returncode}); restarting"
                    + (f" in {pause:.1f}s" if pause else ""),
                    err=True,
                )
                deadline = time.monotonic() + pause
                while not stopping and time.monotonic() < deadline:
                    time.sleep(0.1)
                if not stopping:
                    procs[i] = spawn()
    finally:
        for proc, _ in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _ in procs:
            proc.wait()
        if listener is not None:
            listener.close()
            if unix_socket is not None and os.path.exists(unix_socket):
                os.unlink(unix_socket)


def supervise_built(argv: list[str], workers: int, unix_socket: str | None) -> None:
    """`--workers N` of a service built by `bustapi build`: its `main` calls this with its own
    argv (`argv[0]` the executable); the workers are copies of the binary."""
    supervise_workers([argv[0], *_without_workers_flags(argv[1:])], workers, unix_socket)


def _without_workers_flags(argv: list[str]) -> list[str]:
    """This command's arguments minus `--workers N`/`--workers=N` (the workers get 1)."""
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--workers":
            skip = True
        elif not arg.startswith("--workers="):
            out.append(arg)
    return out


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
@click.option(
    "--batch-scheduling/--no-batch-scheduling",
    default=True,
    show_default=True,
    help="Run the engine's threads as SCHED_BATCH (Linux): fewer preemptions under load.",
)
@click.option("--reuse-port", is_flag=True, hidden=True)
@click.option("--fd", type=int, hidden=True)
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
    batch_scheduling: bool,
    reuse_port: bool,
    fd: int | None,
) -> None:
    """Serve a Flask application on the BustAPI engine."""
    import_path = app_path or app_option
    try:
        loaded: flask.Flask | None = load_app(import_path)  # fail fast, before serving
    except Exception as e:  # noqa: BLE001 - shown to the user as a usage error
        raise click.UsageError(str(e)) from None
    if workers > 1:
        argv = _without_workers_flags(sys.argv[1:])
        supervise_workers([sys.executable, "-m", "bustapi", *argv], workers, unix_socket)
        return

    def serve_app() -> None:
        from .serving import serve

        nonlocal loaded
        # The app loaded above, once; a reloader child process loads it afresh.
        application = loaded if loaded is not None else load_app(import_path)
        loaded = None
        if debug is not None:
            application.debug = debug

        def ready(where: str) -> None:
            click.echo(f" * Serving Flask app '{application.name}' on BustAPI at {where}", err=True)

        serve(
            application,
            host=host,
            port=port,
            threads=threads,
            unix_socket=None if fd is not None else unix_socket,
            fd=fd,
            reuse_port=reuse_port,
            access_log=access_log,
            batch_scheduling=batch_scheduling,
            ready=ready,
        )

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
