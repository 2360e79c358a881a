"""Row locks for state-changing services: the one way a write serialises identical requests.

Ten identical posts at once (a double click, a retrying proxy) must have one effect. A service
that checks state and then writes re-reads the parent row with :func:`lock` first (``SELECT …
FOR UPDATE`` on PostgreSQL; SQLite already runs one writer at a time), so the second request
waits for the first to commit and its re-check sees the first one's effect. Where there is no row
to lock yet (a new scheme, a new cycle), a unique constraint decides and
:func:`unique_or` turns the loser's IntegrityError into the user's message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import IntegrityError, models, transaction

__all__ = ["lock", "unique_or"]

M = TypeVar("M", bound=models.Model)


def lock(obj: M, *related: str) -> M:
    """``obj`` read again from the database, its row locked until the transaction ends."""
    manager = type(obj)._default_manager
    query = manager.select_for_update(of=("self",)) if related else manager.select_for_update()
    if related:
        query = query.select_related(*related)
    return query.get(pk=obj.pk)


@contextmanager
def unique_or(error: Callable[[], Exception]) -> Iterator[None]:
    """Run the block in a savepoint; a unique-constraint violation raises ``error()``."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise error() from exc
