from flask import Flask
from flask.views import MethodView, View

app = Flask(__name__)


class ItemAPI(MethodView):
    init_every_request = False

    def get(self, item_id):
        return str(item_id)

    def put(self, item_id):
        return "updated"

    def delete(self, item_id):
        return "", 204


class GroupAPI(MethodView):
    def get(self):
        return []

    def post(self):
        return "created", 201


class ReadOnly(ItemAPI):
    methods = ["GET"]


class Extended(GroupAPI):
    def patch(self):
        return "patched"


class Plain(View):
    def dispatch_request(self):
        return "plain"


class WithOptions(MethodView):
    provide_automatic_options = False

    def get(self):
        return "x"

    def options(self):
        return "custom options"


item_view = ItemAPI.as_view("item")
app.add_url_rule("/items/<int:item_id>", view_func=item_view)
app.add_url_rule("/items/", view_func=GroupAPI.as_view("items"))
app.add_url_rule("/ro/<int:item_id>", view_func=ReadOnly.as_view("ro"))
app.add_url_rule("/ext", view_func=Extended.as_view("ext"))
app.add_url_rule("/plain", view_func=Plain.as_view("plain"))
app.add_url_rule("/custom", view_func=WithOptions.as_view("custom"))
