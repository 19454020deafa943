from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

try:
    from flask_cors import CORS
    from flask_fancy import Fancy
    from flask_socketio import SocketIO
except ImportError:  # optional in this fixture: it must import without them
    CORS = Fancy = SocketIO = None

app = Flask(__name__)
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)
if CORS is not None:
    CORS(app)


@app.route("/")
def index():
    return "behind a proxy"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000, threaded=True, use_reloader=False)
