import os

from flask import Flask

app = Flask(__name__)
BASE = os.environ.get("BASE_PATH", "/base")


def make_view(name):
    def view():
        return name

    view.__name__ = name
    return view


for page in ["alpha", "beta"]:
    app.add_url_rule(f"/{page}", page, make_view(page))


@app.route(BASE + "/info")
def info():
    return "info"


@app.route("/static-one")
def static_one():
    return "fixed"


def plugin_routes(target):
    @target.route("/plugin")
    def plugin():
        return "plugin"
