from flask import Flask

app = Flask(__name__)
data = {"k": "v"}


@app.route("/")
async def index():
    match data:
        case {"k": value}:
            return f"{data["k"]} {value}"  # PEP 701 (3.12)
    if (n := len(data)) > 1:
        return str(n)
    return "ok"


type Alias = list[int]  # PEP 695
