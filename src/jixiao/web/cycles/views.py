"""Pages (GET). Thin: fetch through ``access_*``, read through selectors, render."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from jixiao.files import json_text
from jixiao.web.access import (
    access_cycle,
    access_employee,
    access_result,
    actor_of,
    can_export,
    can_manage_participant,
    can_see_score,
    can_see_scores,
    is_own_record,
    require_cycle_admin,
    require_export,
    require_team_viewer,
    result_visible_to,
    reviewable_departments,
)
from jixiao.web.cycles import selectors
from jixiao.web.cycles.models import Cycle, Participant, PlanItem
from jixiao.web.cycles.services import available_transitions
from jixiao.web.schemes.validation import scheme_outline

S = Cycle.State


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("cycles:me")


@login_required
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """My appraisal: current cycles, ratings I owe, my results and history."""
    actor = actor_of(request.user)
    mine = selectors.my_participations(user=request.user)
    current = [p for p in mine if p.cycle.state != S.ARCHIVED]
    history = [p for p in mine if p.cycle.state == S.ARCHIVED]
    to_handle = selectors.appeals_to_handle(user=request.user)
    return render(
        request,
        "cycles/me.html",
        {
            "actor": actor,
            "current": current,
            "history": history,
            "to_handle": to_handle,
        },
    )


@login_required
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    actor_of(request.user)
    return render(request, "cycles/cycle_list.html", {"cycles": selectors.cycle_list()})


@login_required
@require_GET
def dashboard(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    board = selectors.cycle_dashboard(user=request.user, cycle=cycle)
    show_scores = can_see_scores(user=request.user, cycle=cycle)
    for p in board.rows:
        p.score_visible = can_see_score(user=request.user, cycle=cycle, employee_id=p.employee_id)
    chart = {
        "bins": [b for b, _ in board.histogram],
        "counts": [n for _, n in board.histogram],
        "grades": [g for g, _ in board.grade_counts],
        "grade_counts": [n for _, n in board.grade_counts],
        "label_scores": gettext("人数"),
        "label_grades": gettext("人数"),
    }
    transitions = available_transitions(cycle=cycle, user=request.user)
    return render(
        request,
        "cycles/dashboard.html",
        {
            "cycle": cycle,
            "board": board,
            "show_scores": show_scores,
            "chart": chart,
            "transitions": transitions,
            "can_export": can_export(user=request.user),
            "quotas": cycle.grade_quotas,
            "owing": (
                selectors.raters_owing(user=request.user, cycle=cycle)
                if cycle.state == S.RATING
                else []
            ),
        },
    )


@login_required
@require_GET
def team(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """My team: progress, rating status and results of the people I manage."""
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    require_team_viewer(user=request.user)
    board = selectors.cycle_dashboard(user=request.user, cycle=cycle)
    rows = [
        p for p in board.rows if not is_own_record(user=request.user, employee_id=p.employee_id)
    ]
    departments, reviewed = selectors.department_reviews(
        cycle=cycle,
        department_ids=reviewable_departments(
            user=request.user, department_ids={p.department_id for p in board.rows}
        ),
    )
    counts = dict(board.grade_counts)
    quota_rows = [
        (g, counts.get(g, 0), math.floor(board.eligible * float(pct) / 100 + 1e-9), pct)
        for g, pct in sorted(cycle.grade_quotas.items())
    ]
    return render(
        request,
        "cycles/team.html",
        {
            "cycle": cycle,
            "rows": rows,
            "board": board,
            "departments": departments,
            "reviewed": reviewed,
            "quota_rows": quota_rows,
        },
    )


@login_required
@require_GET
def ratings(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    rows = selectors.owed_ratings(user=request.user, cycle=cycle)
    outlines: dict[int, dict[str, Any]] = {}
    for r in rows:
        v = r.participant.scheme_version
        if v is None:
            r.outline = None
            continue
        if v.pk not in outlines:
            outlines[v.pk] = {i.code: i for i in scheme_outline(v.yaml_text).items}
        r.outline = outlines[v.pk].get(r.item)
    return render(request, "cycles/ratings.html", {"cycle": cycle, "rows": rows})


@login_required
@require_GET
def participant(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    p = selectors.participant_detail(participant=p)
    return render(
        request,
        "cycles/participant.html",
        {
            "p": p,
            "cycle": p.cycle,
            "is_self": is_own_record(user=request.user, employee_id=p.employee_id),
            "manages": can_manage_participant(user=request.user, participant=p),
            "show_result": result_visible_to(user=request.user, participant=p),
            "can_print": can_export(user=request.user, employee_id=p.employee_id),
            "S": S,
            "item_names": {i.code: i.name for i in p.plan_items.all()},
            "kinds": PlanItem.Kind.choices,
        },
    )


@login_required
@require_GET
def participant_print(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    require_export(user=request.user, employee_id=p.employee_id)
    p = selectors.participant_detail(participant=p)
    return render(
        request,
        "cycles/print.html",
        {
            "p": p,
            "show_result": result_visible_to(user=request.user, participant=p),
        },
    )


@login_required
@require_GET
def employee_history(request: HttpRequest, employee_id: int) -> HttpResponse:
    emp = access_employee(user=request.user, employee_id=employee_id)
    rows, accounts = selectors.employee_history(employee=emp)
    return render(request, "cycles/employee.html", {"emp": emp, "rows": rows, "accounts": accounts})


def _result_rows(request: HttpRequest, cycle: Cycle) -> list[Participant]:
    return selectors.result_rows(user=request.user, cycle=cycle)


@login_required
@require_GET
def export_csv(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Export results: the GM, the leadership group and their delegates only."""
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    require_export(user=request.user)
    # UTF-8 with BOM; text that would run as a formula is neutralised (docs/files.md).
    content, _rows = selectors.results_csv(user=request.user, cycle=cycle)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cycle-{cycle.pk}.csv"'
    return response


@login_required
@require_GET
def api_results(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """JSON results: an export like the CSV, so for the same people (the GM, the leadership and
    working groups, their delegates), with the scores they may see."""
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    require_export(user=request.user)
    out = []
    for p in _result_rows(request, cycle):
        visible = can_see_score(user=request.user, cycle=cycle, employee_id=p.employee_id)
        out.append(
            {
                "employee": p.employee.number,
                "name": p.employee.name,
                "department": p.department.name,
                "eligible": p.eligible,
                "total": float(p.total) if visible and p.total is not None else None,
                "grade": p.grade if visible else None,
            }
        )
    return HttpResponse(
        json_text({"cycle": cycle.name, "state": cycle.state, "results": out}),
        content_type="application/json",
    )


@login_required
@require_GET
def hr_setup(request: HttpRequest) -> HttpResponse:
    require_cycle_admin(user=request.user)
    versions = selectors.pinnable_scheme_versions()
    return render(
        request,
        "cycles/hr.html",
        {
            "versions": versions,
            "periods": Cycle.Period.choices,
            "cycles": selectors.cycle_list()[:12],
        },
    )
