from flask import Flask

from views import admin_bp
from views.users import bp as users_bp

app = Flask(__name__, static_url_path="/assets")
app.register_blueprint(users_bp)
app.register_blueprint(admin_bp, url_prefix="/admin")
app.register_blueprint(users_bp, url_prefix="/v2/users", name="users_v2")


@app.route("/")
def home():
    return "home"
