"""gunicorn settings for the embedded deployment (bin/serve, `make run`).

No ``Server: gunicorn`` banner (issue 14 item 13): the answer names no server
software to a visitor. gunicorn has no setting for it, so its response's
default headers are filtered here, in the master before the workers fork.
"""

from gunicorn.http import wsgi as _wsgi

_default_headers = _wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


_wsgi.Response.default_headers = _default_headers_without_server
