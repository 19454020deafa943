from flask import Blueprint, Flask

from settings import API, VERSION

PREFIX = API + "/v" + "2"
USERS = f"{PREFIX}/users"
ITEM = f"/items/<int:item_id>"

app = Flask(__name__)
bp = Blueprint("v2", __name__, url_prefix=f"{API}/v{VERSION}")


@app.route(USERS)
def users():
    return []


@app.route(PREFIX + ITEM)
def item(item_id):
    return {"id": item_id}


@bp.route("/status")
def status():
    return "ok"


app.register_blueprint(bp)
