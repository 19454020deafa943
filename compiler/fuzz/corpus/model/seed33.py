from flask import Flask

app = Flask(__name__)


@app.route("/user/<int:user_id>")
def user(uid):
    return str(uid)
