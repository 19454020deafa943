from flask import Flask

app = Flask(__name__)


@app.route("/items", methods=["GET", "POST"])
def items():
    return ""


@app.post("/items")
def create():
    return ""


@app.get("/x", methods=["POST"])
def x():
    return ""
