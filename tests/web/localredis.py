"""The Redis the production machine runs at 127.0.0.1:6379, when it is there."""

from __future__ import annotations

import socket

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database number the application does not use


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False
