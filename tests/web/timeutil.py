"""Freeze ``django.utils.timezone.now`` (no freezegun needed)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone


def aware(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@contextmanager
def frozen(moment: dt.datetime):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment
