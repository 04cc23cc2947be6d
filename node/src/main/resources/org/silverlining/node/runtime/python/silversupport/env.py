"""What the app knows of where it runs, from the environment the node gives it."""
import os


def is_production():
    """True on a node in production: SILVER_VERSION starts with silverlining/."""
    return os.environ.get("SILVER_VERSION", "").startswith("silverlining/")


def is_devel():
    """True under silver serve (SILVER_VERSION devel/...)."""
    return os.environ.get("SILVER_VERSION", "").startswith("devel/")


def canonical_hostname():
    """The host the app's location names, or None for a wildcard or default location."""
    return os.environ.get("SILVER_CANONICAL_HOSTNAME") or None


def app_name():
    return os.environ.get("SILVER_APP_NAME")


def instance_name():
    return os.environ.get("SILVER_INSTANCE_NAME")
