"""Reads for schemes."""

from __future__ import annotations

from django.db.models import QuerySet

from jixiao.web.schemes.models import Scheme

__all__ = ["scheme_list"]


def scheme_list() -> QuerySet[Scheme]:
    return Scheme.objects.prefetch_related("versions").order_by("code")
