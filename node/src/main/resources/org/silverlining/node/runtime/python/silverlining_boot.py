"""How the node loads a Silver Lining Python app: its sys.path and its runner.

The app's folder is the working directory. Its folder, lib/python and lib/pythonX.Y/site-packages
(the original Silver Lining's layouts) come first on sys.path, with the .pth files in them read.
"""
import importlib.util
import os
import site
import sys


def setup_path(app_dir):
    """Puts the app's folder and its library folders first on sys.path."""
    version = "python%d.%d" % sys.version_info[:2]
    libs = [os.path.join(app_dir, "lib", "python"), os.path.join(app_dir, "lib", version, "site-packages")]
    before = list(sys.path)
    for lib in libs:
        if os.path.isdir(lib):
            site.addsitedir(lib)
    added = [p for p in sys.path if p not in before]
    front = [app_dir] + [lib for lib in libs if lib in added] + [p for p in added if p not in libs]
    sys.path[:] = front + [p for p in before if p not in front]


def load(runner, app_dir):
    """The runner's module (None for a Paste Deploy file) and its WSGI application."""
    path, _, name = runner.partition("#")
    full = os.path.join(app_dir, path)
    if path.endswith(".ini"):
        from paste.deploy import loadapp

        return None, loadapp("config:" + full + ("#" + name if name else ""))
    spec = importlib.util.spec_from_file_location("silverlining_runner", full)
    module = importlib.util.module_from_spec(spec)
    sys.modules["silverlining_runner"] = module
    spec.loader.exec_module(module)
    if not hasattr(module, "application"):
        raise RuntimeError("%s defines no WSGI 'application'" % path)
    return module, module.application


class SilverLiningEnviron(object):
    """Adds what the original Silver Lining put in each request's environ.

    SCRIPT_NAME is the location's path prefix (the front takes it off the path and names it in
    X-Forwarded-Prefix); an internal request of the node's update_fetch has silverlining.update.
    The front removes X-Silver-* headers from outside requests, so both can be trusted.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        internal = environ.get("HTTP_X_SILVER_INTERNAL")
        prefix = environ.get("HTTP_X_FORWARDED_PREFIX")
        if prefix:
            environ["SCRIPT_NAME"] = prefix
        elif internal:
            environ["SCRIPT_NAME"] = os.environ.get("SILVER_MATCH_PATH", "")
        if internal == "update":
            environ["silverlining.update"] = True
        host = environ.get("HTTP_X_FORWARDED_HOST")
        if host:
            environ["HTTP_HOST"] = host
        return self.app(environ, start_response)


def application_for(runner=None, app_dir=None):
    """The app's application, wrapped; also its runner module."""
    app_dir = app_dir or os.getcwd()
    setup_path(app_dir)
    module, app = load(runner or os.environ["SILVER_RUNNER"], app_dir)
    return module, SilverLiningEnviron(app)
