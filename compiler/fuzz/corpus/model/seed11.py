from flask import Blueprint, render_template

bp = Blueprint(
    "pages",
    __name__,
    static_folder="static_bp",
    static_url_path="/pages-static",
    template_folder="templates",
)


@bp.route("/")
def index():
    return render_template("page.html")


@bp.route("/about-us/", strict_slashes=False)
def about():
    return "about"
