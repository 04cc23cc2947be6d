"""URLs of the app's named resources (resources.ini), from SILVER_RESOURCES_FILE.

    from silversupport import href
    href("all_js")          # or href["all_js"]; None where the name is not used in this mode
"""
import json
import os


class Href:
    """Name -> URL; the file is read again when the node has replaced it."""

    def __init__(self):
        self._path = None
        self._stamp = None
        self._urls = {}

    def _load(self):
        path = os.environ.get("SILVER_RESOURCES_FILE")
        if not path:
            raise RuntimeError("no SILVER_RESOURCES_FILE: the app has no resources.ini or no node")
        stat = os.stat(path)
        stamp = (stat.st_mtime_ns, stat.st_ino, stat.st_size)
        if path != self._path or stamp != self._stamp:
            with open(path) as f:
                self._urls = json.load(f)
            self._path, self._stamp = path, stamp
        return self._urls

    def __getitem__(self, name):
        urls = self._load()
        if name not in urls:
            raise KeyError("resources.ini names no %s (it names %s)" % (name, ", ".join(urls)))
        return urls[name]

    def __call__(self, name):
        return self[name]


href = Href()
