"""Stub of the extension module `bustapi._core` (the contract; checked by mypy.stubtest)."""

__all__ = ["__version__", "check", "rules", "static_routes"]
__version__: str

# --- checker (compiler crate, pymodule/src/check.rs) ---------------------------------------------

def check(paths: list[str], options_json: str) -> tuple[str, str, int]:
    """Run the checker; returns (output, error text, exit code 0/1/2)."""

def static_routes(target: str, cwd: str) -> str:
    """Route table of `target` from source, as JSON `{"app", "routes", "notes"}`.

    Raises OSError when the target cannot be found, read or parsed.
    """

def rules() -> str:
    """The rule table as a JSON array of {code, name, severity, summary, fix}."""
