"""The node's platform secret, from the app's copy of the key ring (SILVER_SECRETS_FILE)."""
import base64
import json
import os


def get_key_ring():
    """The key ring: {"current": ID, "keys": [{"id": ..., "key": BASE64, "expires": ...}]}."""
    path = os.environ.get("SILVER_SECRETS_FILE")
    if not path:
        raise RuntimeError("no SILVER_SECRETS_FILE: the app does not run under a node")
    with open(path) as f:
        return json.load(f)


def get_secret():
    """The current key of the platform secret, as text (base64 of its 32 bytes)."""
    ring = get_key_ring()
    for key in ring["keys"]:
        if key["id"] == ring["current"]:
            return key["key"]
    raise RuntimeError("the key ring has no current key")


def get_secret_bytes():
    """The current key's 32 bytes."""
    return base64.b64decode(get_secret())
