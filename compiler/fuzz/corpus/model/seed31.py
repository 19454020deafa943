from flask import Blueprint, Flask
from flask.views import MethodView

app = Flask(__name__)
bp = Blueprint("bp", __name__)


@bp.route("/a")
def index():
    return "a"


@bp.route("/b")
def index():  # noqa: F811
    return "b"


class Api(MethodView):
    def get(self):
        return ""


app.add_url_rule("/x", view_func=Api.as_view("api"))
app.add_url_rule("/y", view_func=Api.as_view("api"))
app.register_blueprint(bp)
