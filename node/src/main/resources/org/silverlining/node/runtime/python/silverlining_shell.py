"""silver shell of a Python app: a REPL with `application` and the runner module's globals.

On a terminal it is Python's interactive console with line editing; otherwise the code on standard
input runs once in the same namespace.
"""
import code
import os
import sys

import silverlining_boot

silverlining_boot.setup_path(os.getcwd())
module, application = silverlining_boot.load(os.environ["SILVER_RUNNER"], os.getcwd())
namespace = {"__name__": "__main__"}
if module is not None:
    namespace.update((k, v) for k, v in vars(module).items() if not k.startswith("__"))
namespace["application"] = application
if sys.stdin.isatty():
    try:
        import readline  # noqa: F401 (line editing and history for the console)
    except ImportError:
        pass
    banner = "Python %s; `application` is %s's WSGI app" % (sys.version.split()[0], os.environ["SILVER_RUNNER"])
    code.interact(banner=banner, local=namespace, exitmsg="")
else:
    exec(compile(sys.stdin.read(), "<stdin>", "exec"), namespace)
