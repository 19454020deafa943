import importlib
import os

from flask import Flask

app = Flask(__name__)
PREFIX = os.environ["PREFIX"]

for name in ("a", "b"):
    app.add_url_rule("/" + name, name, lambda: name)


@app.route(PREFIX + "/x")
def x():
    return "x"


plugin = importlib.import_module("plugins." + os.environ["PLUGIN"])


def register(app):
    @app.route("/never")
    def never():
        return ""
