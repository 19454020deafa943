"""Type stub of the Rust extension module `bustapi._core`."""

from typing import Any, Literal, TypeAlias, final

from werkzeug.routing import Rule

from bustapi.routing import MapSpec

__all__ = ["__version__", "Router"]

__version__: str

_MatchTuple: TypeAlias = (
    tuple[Literal["match"], int, dict[str, Any]]
    | tuple[Literal["redirect"], str]
    | tuple[Literal["not_found"]]
    | tuple[Literal["method_not_allowed"], list[str]]
)

@final
class Router:
    """Werkzeug's matching of a frozen `url_map` (see `bustapi.routing.freeze_map`), in Rust.

    Raises `ValueError` (saying why) for a map the Rust router leaves to Werkzeug.
    """

    def __new__(cls, spec: MapSpec) -> Router: ...
    def match(self, path: str, method: str) -> _MatchTuple:
        """Match a decoded path like `MapAdapter.match(path, method)`.

        Returns `("match", rule_index, view_args)`, `("redirect", path)` (308, path relative to the
        script root, percent-encoded, without query string), `("not_found",)` or
        `("method_not_allowed", sorted_methods)`. View arguments are `int`, `float`, `str` or
        `uuid.UUID` values, plus the rule's defaults as given.
        """

    def allowed_methods(self, path: str) -> list[str]:
        """`MapAdapter.allowed_methods(path)`, sorted."""

    @property
    def rules(self) -> tuple[Rule | None, ...]:
        """The `source` of each rule spec (the `werkzeug.routing.Rule`), by rule index."""
