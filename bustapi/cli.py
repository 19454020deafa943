"""The `bustapi` command."""

from __future__ import annotations

import click


@click.group()
def main() -> None:
    """BustAPI: serve, check and compile Flask applications."""
