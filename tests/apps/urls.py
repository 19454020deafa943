"""A plain Flask app whose `/urls` view calls `url_for` in many ways and reports each answer.

Served by `bustapi run`, its answers must be Flask's (`tests/test_url_for.py` asks the same app
through Flask's own test client). `create_app(cls)` builds it on another class (`BustAPI`).
"""

from __future__ import annotations

import typing as t
import uuid

from flask import Blueprint, Flask, g, render_template_string, request, url_for

CASES: list[tuple[str, dict[str, t.Any]]] = [
    ("index", {}),
    ("index", {"q": "a b&c", "n": 3}),
    ("index", {"tag": ["x", "y"], "none": None}),
    ("index", {"_anchor": "top part"}),
    ("user", {"id": 7}),
    ("user", {"id": -2}),
    ("user", {"id": "7"}),
    ("user", {"id": True}),
    ("user", {"id": 2**70}),
    ("files", {"p": "a b/é.txt"}),
    ("ratio", {"x": 2.5}),
    ("ratio", {"x": 3}),
    ("choice", {"k": "b"}),
    ("choice", {"k": "c"}),
    ("thing", {"u": uuid.UUID(int=42)}),
    ("pages", {}),
    ("pages", {"page": 1}),
    ("pages", {"page": 4, "sort": "new"}),
    ("item", {}),
    ("item", {"_method": "POST"}),
    ("item", {"_method": "PUT"}),
    ("item", {"_method": "post"}),
    ("shop.index", {}),
    (".index", {}),
    ("shop.detail", {"slug": "red shoes"}),
    ("lang.about", {}),
    ("lang.about", {"lang": "fr"}),
    ("index", {"_external": True}),
    ("index", {"_external": False}),
    ("user", {"id": 1, "_scheme": "https", "_external": True}),
    ("user", {"id": 1, "_scheme": "https"}),
    ("user", {"id": 1, "_scheme": "wss", "_anchor": "a"}),
    ("user", {"id": 1, "_scheme": "ftp"}),
    ("user", {"id": 1, "_scheme": "https", "_external": False}),
    ("pages", {"page": 2, "_external": True, "x": "é"}),
    ("lang.about", {"_external": True}),
    ("nope", {}),
    ("user", {}),
    ("static", {"filename": "app.css"}),
]


def create_app(cls: type[Flask] = Flask, **config: t.Any) -> Flask:
    app = cls(__name__)
    app.config.update(config)

    @app.get("/")
    def index() -> str:
        return "index"

    @app.get("/user/<int:id>")
    def user(id: int) -> str:
        return str(id)

    @app.get("/files/<path:p>")
    def files(p: str) -> str:
        return p

    @app.get("/ratio/<float:x>")
    def ratio(x: float) -> str:
        return str(x)

    @app.get("/choice/<any(a, b):k>")
    def choice(k: str) -> str:
        return k

    @app.get("/thing/<uuid:u>")
    def thing(u: uuid.UUID) -> str:
        return str(u)

    @app.get("/pages/", defaults={"page": 1})
    @app.get("/pages/<int:page>")
    def pages(page: int) -> str:
        return str(page)

    # One endpoint, a URL per method (`_method` picks one).
    def item() -> str:
        return request.method

    app.add_url_rule("/item", "item", item, methods=["GET"])
    app.add_url_rule("/item/new", "item", item, methods=["POST"])

    shop = Blueprint("shop", __name__, url_prefix="/shop")

    @shop.route("/", methods=["GET", "POST"], endpoint="index")
    def shop_index() -> t.Any:
        return report()

    @shop.get("/<slug>")
    def detail(slug: str) -> str:
        return slug

    # Flask's i18n pattern: the language comes from `g` through url_defaults.
    lang = Blueprint("lang", __name__, url_prefix="/<lang>")

    @lang.url_defaults
    def add_language(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("lang", getattr(g, "lang", "en"))

    @lang.url_value_preprocessor
    def pull_language(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        g.lang = (values or {}).pop("lang", "en")

    @lang.get("/about")
    def about() -> t.Any:
        return report()

    app.register_blueprint(shop)
    app.register_blueprint(lang)

    def report() -> dict[str, t.Any]:
        answers = []
        for endpoint, values in CASES:
            try:
                answers.append(url_for(endpoint, **values))
            except Exception as e:
                answers.append(f"raises {type(e).__name__}")
        template = render_template_string(
            "{{ url_for('user', id=5) }} {{ url_for('index', q='t') }}"
            " {{ url_for(request.endpoint) }}"
        )
        return {"method": request.method, "answers": answers, "template": template}

    @app.route("/urls", methods=["GET", "POST"])
    def urls() -> t.Any:
        return report()

    return app


app = create_app()
