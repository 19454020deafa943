from flask import Blueprint, Flask, render_template
from werkzeug.routing import BaseConverter


class ListConverter(BaseConverter):
    def to_python(self, value):
        return value.split(",")


app = Flask(__name__)
app.url_map.converters["list"] = ListConverter
bp = Blueprint("shop", __name__, url_prefix="/shop")


@app.route("/user/<int:user_id>")
def user(id):
    return str(id)


@app.route("/page")
def page(number):
    return str(number)


@app.route("/items", methods=["GET"])
def list_items():
    return []


@app.route("/items")
def items_v2():
    return []


@app.route("/submit", methods="POST")
def submit():
    return ""


@app.route("/typo", methods=["GET", "PSOT"])
def typo():
    return ""


@app.route("relative")
def relative():
    return ""


@app.route("/n/<integer:n>")
def number(n):
    return str(n)


@app.route("/tags/<list:tags>")
def tags(tags):
    return ",".join(tags)


@bp.route("/a")
def index():
    return render_template("missing.html")


@bp.route("/b")
def index():  # noqa: F811
    return render_template(name_of_template())


def name_of_template():
    return "x.html"


app.register_blueprint(bp)
