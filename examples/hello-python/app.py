"""Hello from python: a WSGI app on the Python standard library alone.

Listens on 127.0.0.1:$PORT, as every Silver Lining process does, and answers:

  /        a greeting naming the instance ($SILVER_INSTANCE_NAME)
  /ping    "ok", the health check named in app.ini
  /whoami  JSON with the location prefix the front matched
"""

import json
import os
import signal
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


def app(environ, start_response):
    path = environ.get("PATH_INFO") or "/"
    if path == "/ping":
        return text(start_response, "200 OK", "ok\n")
    if path == "/whoami":
        body = json.dumps(
            {
                "instance": os.environ.get("SILVER_INSTANCE_NAME", ""),
                "match_path": os.environ.get("SILVER_MATCH_PATH", ""),
                "forwarded_prefix": environ.get("HTTP_X_FORWARDED_PREFIX", ""),
                "path": path,
            },
            indent=2,
        )
        return respond(start_response, "200 OK", "application/json", body + "\n")
    if path == "/":
        instance = os.environ.get("SILVER_INSTANCE_NAME", "hello-python")
        return text(start_response, "200 OK", "Hello from python, instance %s\n" % instance)
    return text(start_response, "404 Not Found", "not found: %s\n" % path)


def text(start_response, status, body):
    return respond(start_response, status, "text/plain; charset=utf-8", body)


def respond(start_response, status, content_type, body):
    data = body.encode("utf-8")
    start_response(
        status, [("Content-Type", content_type), ("Content-Length", str(len(data)))]
    )
    return [data]


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One thread per request, so a slow request does not hold up /ping."""

    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    """The front keeps the access log; the app's log stays for what the app says."""

    def log_message(self, format, *args):
        pass


def main():
    port = int(os.environ.get("PORT", "8080"))
    # The node stops an instance with SIGTERM; exit at once and cleanly.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    server = make_server(
        "127.0.0.1", port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    )
    print("hello-python listening on 127.0.0.1:%d" % port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
