"""Login throttling: a failure counter per (username, IP) in the cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

__all__ = ["client_ip", "is_locked", "record_failure", "reset"]


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{ip}".encode()).hexdigest()[:32]
    return f"jixiao:login-fail:{digest}"


def is_locked(username: str, ip: str) -> bool:
    return cache.get(_key(username, ip), 0) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, ip: str) -> int:
    key = _key(username, ip)
    window = settings.LOGIN_FAILURE_WINDOW
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return 1


def reset(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))
