"""`python -m bustapi` is the `bustapi` command."""

from .cli import main

main()
