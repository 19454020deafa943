import eventlet
from gevent import monkey

monkey.patch_all()
eventlet.monkey_patch()
