"""The `bustapi` command."""

from __future__ import annotations

import click


@click.group()
def main() -> None:
    """BustAPI: serve, check and compile Flask applications."""


from .checker_cli import check, routes  # noqa: E402

main.add_command(check)
main.add_command(routes)
