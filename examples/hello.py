"""The example served by `make run`: an ordinary Flask application, unmodified."""

from flask import Flask, jsonify, render_template_string, request

app = Flask(__name__)

PAGE = """<!doctype html>
<title>BustAPI</title>
<h1>Hello from {{ engine }}</h1>
<ul>{% for row in rows %}<li>{{ row.id }}: {{ row.name }}</li>{% endfor %}</ul>
"""


@app.get("/")
def index() -> str:
    return "Hello, World!"


@app.get("/json")
def hello_json() -> dict[str, str]:
    return {"message": "Hello, World!"}


@app.get("/user/<int:user_id>")
def user(user_id: int) -> dict[str, object]:
    return {"id": user_id, "q": request.args.get("q")}


@app.post("/echo")
def echo() -> object:
    return jsonify(request.get_json())


@app.get("/page")
def page() -> str:
    rows = [{"id": i, "name": f"row {i}"} for i in range(100)]
    return render_template_string(PAGE, engine="BustAPI", rows=rows)
