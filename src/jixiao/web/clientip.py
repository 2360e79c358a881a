"""The client's address: the peer, or what a trusted reverse proxy says it saw.

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only when the
connecting peer is one of ``settings.TRUSTED_PROXIES`` (addresses or networks). The header is
then read from the right: each trusted proxy appended the address it saw, and the first
address that is not a trusted proxy is the client. Anything the client itself put at the left
of the header is ignored, so a spoofed header cannot pick another person's address (and lock
them out of the login, see ``accounts.lockout``).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

__all__ = ["client_ip"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(s, strict=False) for s in spec)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in networks)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str:
    """The address of the person making the request (``""`` when there is none: a request
    made in code, such as a test client's ``force_login``)."""
    peer = (request.META.get("REMOTE_ADDR") or "").strip()
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if networks and _trusted(peer, networks):
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        for hop in reversed([h for h in hops if h]):
            if not _valid(hop):
                break  # garbage from the client: stop at the last address a proxy vouched for
            if not _trusted(hop, networks):
                return hop
            peer = hop
    return peer if _valid(peer) else ""
