"""HR's audit browser (read-only)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jixiao.web.access import require_audit_reader
from jixiao.web.audit.selectors import audit_list
from jixiao.web.viewutils import int_or_none


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@login_required
@require_GET
def audit_browser(request: HttpRequest) -> HttpResponse:
    require_audit_reader(user=request.user)
    g = request.GET
    qs = audit_list(
        entity=g.get("entity", "").strip(),
        actor=g.get("actor", "").strip(),
        cycle_id=int_or_none(g.get("cycle")),
        employee_id=int_or_none(g.get("employee")),
        since=_date(g.get("since")),
        until=_date(g.get("until")),
    )
    page = Paginator(qs, 50).get_page(g.get("page"))
    entities = [
        "cycle",
        "target",
        "data",
        "rating",
        "score",
        "result",
        "appeal",
        "scheme",
        "scheme_version",
        "employee",
        "department",
        "participant",
        "shop_account",
    ]
    query = g.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "entities": entities,
            "f": g,
            "query": query.urlencode(),
        },
    )
