from flask import Flask

app = Flask(__name__)


@app.route("/user/<int:user_id>")
def user(user_id, page=1):
    return str(user_id)


@app.route("/any/<a>/<b>")
def anything(**kwargs):
    return str(kwargs)


@app.route("/d", defaults={"n": 1})
@app.route("/d/<int:n>")
def with_defaults(n):
    return str(n)
