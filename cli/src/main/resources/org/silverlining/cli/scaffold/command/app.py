"""{{app_name}}: a WSGI app on the Python standard library, listening on 127.0.0.1:$PORT."""

import os
import signal
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


def app(environ, start_response):
    path = environ.get("PATH_INFO") or "/"
    if path == "/ping":
        return text(start_response, "200 OK", "ok\n")
    if path == "/":
        instance = os.environ.get("SILVER_INSTANCE_NAME", "{{app_name}}")
        greeting = "Hello from {{app_name}}, instance %s\n" % instance
        return text(start_response, "200 OK", greeting)
    return text(start_response, "404 Not Found", "not found: %s\n" % path)


def text(start_response, status, body):
    data = body.encode("utf-8")
    start_response(
        status,
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))],
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
    print("{{app_name}} listening on 127.0.0.1:%d" % port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
