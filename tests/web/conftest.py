from __future__ import annotations

import pytest

from .factories import Org, make_org


@pytest.fixture
def org(db) -> Org:
    return make_org()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """A request with an English cookie leaves English active on the thread (LocaleMiddleware
    activates it for the request and the test client never deactivates it); later tests in the
    same worker would then read English messages. Every test starts and ends in the default."""
    from django.utils import translation

    translation.deactivate_all()
    translation.activate("zh-hans")
    yield
    translation.deactivate()
