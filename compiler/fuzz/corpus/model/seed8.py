"""A one-file Flask app: the common decorator forms."""

from flask import Flask, jsonify, render_template, request

app = Flask(__name__)


@app.route("/")
def index():
    return render_template("index.html")


@app.route("/users/<int:user_id>")
def user(user_id):
    return jsonify(id=user_id)


@app.get("/items")
def list_items():
    return jsonify([])


@app.post("/items")
def create_item():
    return jsonify(request.get_json()), 201


@app.route("/items/<uuid:item_id>", methods=["GET", "PUT", "DELETE"])
def item(item_id):
    return jsonify(id=str(item_id))


@app.route("/files/<path:name>", endpoint="download")
def files(name):
    return name


@app.route("/a")
@app.route("/b/<float:x>")
def two_rules(x=None):
    return str(x)


@app.route("/opts", methods=["GET", "OPTIONS"])
def opts():
    return ""


def health():
    return "ok"


app.add_url_rule("/health", view_func=health)
app.add_url_rule("/healthz", "healthz", health, methods=["HEAD", "GET"])


@app.route("/kind/<any(a, b):kind>")
def kind(kind):
    return kind


@app.before_request
def before():
    pass


@app.errorhandler(404)
def not_found(e):
    return "not found", 404


if __name__ == "__main__":
    app.run(debug=True)
