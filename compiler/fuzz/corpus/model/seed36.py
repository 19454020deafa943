from flask import Flask

app = Flask(__name__)


@app.get("/items")
def items():
    return ""


@app.post("/items")
def create():
    return ""


@app.route("/items/<int:i>", methods=["get", "patch"])
def item(i):
    return ""
