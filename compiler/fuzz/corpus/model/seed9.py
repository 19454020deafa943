"""An application factory with nested blueprints."""

from flask import Flask

from .config import API_PREFIX


def create_app(test_config=None):
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(SECRET_KEY="dev")
    if test_config is not None:
        app.config.update(test_config)

    from . import pages
    from .api import api_bp

    app.register_blueprint(pages.bp)
    app.register_blueprint(api_bp, url_prefix=API_PREFIX)
    register_extras(app)

    @app.route("/ping")
    def ping():
        return "pong"

    return app


def register_extras(app):
    @app.get("/version")
    def version():
        return {"version": 1}

    app.add_url_rule("/about", "about", lambda: "about")
