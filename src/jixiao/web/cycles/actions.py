"""Form posts (POST only). Each one fetches via ``access_*`` and calls one service."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jixiao.web.access import (
    access_appeal,
    access_cycle,
    access_result,
    require_role,
)
from jixiao.web.cycles import services
from jixiao.web.cycles.models import PlanItem, Rating, TargetChange
from jixiao.web.schemes.models import SchemeVersion
from jixiao.web.viewutils import back, int_or_none, user_errors


def _p_url(pid: int) -> str:
    return reverse("cycles:participant", args=[pid])


@login_required
@require_POST
@user_errors
def transition(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    deadline = _deadline(request.POST.get("deadline", ""))
    cycle = services.cycle_transition(
        user=request.user,
        cycle=cycle,
        name=request.POST.get("name", ""),
        reason=request.POST.get("reason", ""),
        deadline=deadline,
    )
    return back(
        request,
        f"已进入“{cycle.get_state_display()}”阶段。",
        reverse("cycles:dashboard", args=[cycle.pk]),
    )


def _deadline(raw: str) -> dt.datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise services.CycleError("截止日期格式应为 YYYY-MM-DD。") from None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


@login_required
@require_POST
@user_errors
def rating_deadline(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    services.rating_deadline_set(
        user=request.user,
        cycle=cycle,
        deadline=_deadline(request.POST.get("deadline", "")),
        reason=request.POST.get("reason", ""),
    )
    return back(request, "评分截止时间已调整。", reverse("cycles:dashboard", args=[cycle.pk]))


@login_required
@require_POST
@user_errors
def import_metrics(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    upload = request.FILES.get("file")
    if upload is None:
        raise services.CycleError("请选择要导入的 CSV 文件。")
    if upload.size > 2_000_000:
        raise services.CycleError("文件过大（超过 2 MB），请分批导入。")
    n = services.metrics_import(
        user=request.user, cycle=cycle, text=upload.read(), name=upload.name or "上传的文件"
    )
    return back(request, f"已导入 {n} 个数据。", reverse("cycles:dashboard", args=[cycle.pk]))


@login_required
@require_POST
@user_errors
def cycle_new(request: HttpRequest) -> HttpResponse:
    require_role(user=request.user, roles=frozenset({"hr"}))
    try:
        start = dt.date.fromisoformat(request.POST.get("start", ""))
        end = dt.date.fromisoformat(request.POST.get("end", ""))
    except ValueError:
        raise services.CycleError("请按 YYYY-MM-DD 填写开始和结束日期。") from None
    ids = [i for i in (int_or_none(v) for v in request.POST.getlist("versions")) if i]
    versions = list(SchemeVersion.objects.filter(pk__in=ids).select_related("scheme"))
    quotas = {}
    for part in request.POST.get("quotas", "").replace("，", ",").split(","):
        if part.strip():
            grade, _, pct = part.partition(":")
            quotas[grade.strip()] = pct.strip()
    cycle = services.cycle_create(
        user=request.user,
        name=request.POST.get("name", ""),
        period=request.POST.get("period", "month"),
        start=start,
        end=end,
        scheme_versions=versions,
        grade_quotas=quotas,
    )
    return redirect("cycles:dashboard", cycle_id=cycle.pk)


@login_required
@require_POST
@user_errors
def plan_item(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.plan_item_set(
        user=request.user,
        participant=p,
        code=request.POST.get("code", ""),
        name=request.POST.get("name", ""),
        kind=request.POST.get("kind", "kpi"),
        weight=request.POST.get("weight"),
        target=request.POST.get("target"),
        standard=request.POST.get("standard", ""),
    )
    return back(request, "计划已保存。", _p_url(p.pk))


@login_required
@require_POST
@user_errors
def sign(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.plan_sign(user=request.user, participant=p)
    return back(request, "已签字确认。", _p_url(p.pk))


@login_required
@require_POST
@user_errors
def absence(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.participant_set_absence(
        user=request.user,
        participant=p,
        absent_days=request.POST.get("absent_days"),
        reason=request.POST.get("reason", ""),
    )
    return back(request, "缺勤已登记。", _p_url(p.pk))


@login_required
@require_POST
@user_errors
def metric(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.metric_set(
        user=request.user,
        participant=p,
        code=request.POST.get("code", ""),
        value=request.POST.get("value"),
    )
    return back(request, "数据已保存。", _p_url(p.pk))


@login_required
@require_POST
@user_errors
def target_change(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(PlanItem.objects.select_related("participant"), pk=item_id)
    p = access_result(user=request.user, participant_id=item.participant_id)
    item.participant = p
    services.target_change_request(
        user=request.user,
        item=item,
        new_target=request.POST.get("new_target"),
        reason=request.POST.get("reason", ""),
    )
    return back(request, "调整申请已提交，等待审批。", _p_url(p.pk))


@login_required
@require_POST
@user_errors
def target_change_decide(request: HttpRequest, change_id: int) -> HttpResponse:
    change = get_object_or_404(TargetChange.objects.select_related("plan_item"), pk=change_id)
    p = access_result(user=request.user, participant_id=change.plan_item.participant_id)
    change.plan_item.participant = p
    services.target_change_decide(
        user=request.user,
        change=change,
        approve=request.POST.get("approve") == "1",
        note=request.POST.get("note", ""),
    )
    return back(request, "已处理。", _p_url(p.pk))


@login_required
@require_POST
@user_errors
def rate(request: HttpRequest, rating_id: int) -> HttpResponse:
    # Raters may rate people outside the departments they can read (peers, skip-level):
    # rating_submit checks that the signed-in person is this rating's rater.
    rating = get_object_or_404(
        Rating.objects.select_related("participant__cycle", "participant__scheme_version"),
        pk=rating_id,
    )
    services.rating_submit(
        user=request.user,
        rating=rating,
        score=request.POST.get("score", ""),
        comment=request.POST.get("comment", ""),
    )
    return back(
        request, "评分已提交。", reverse("cycles:ratings", args=[rating.participant.cycle_id])
    )


@login_required
@require_POST
@user_errors
def calibrate(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.participant_calibrate(
        user=request.user,
        participant=p,
        grade=request.POST.get("grade", ""),
        reason=request.POST.get("reason", ""),
    )
    return back(request, "等级已调整。", _p_url(p.pk))


@login_required
@require_POST
@user_errors
def review(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    dept = int_or_none(request.POST.get("department"))
    if dept is None:
        raise services.CycleError("请选择要提交审核的部门。")
    services.department_review_submit(
        user=request.user, cycle=cycle, department_id=dept, note=request.POST.get("note", "")
    )
    return back(request, "部门审核已提交。", reverse("cycles:team", args=[cycle.pk]))


@login_required
@require_POST
@user_errors
def interview(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.interview_note_set(user=request.user, participant=p, note=request.POST.get("note", ""))
    return back(request, "面谈记录已保存。", _p_url(p.pk))


@login_required
@require_POST
@user_errors
def confirm(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.result_confirm(user=request.user, participant=p)
    return back(request, "您已确认本期考核结果。", _p_url(p.pk))


@login_required
@require_POST
@user_errors
def appeal(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.appeal_file(user=request.user, participant=p, reason=request.POST.get("reason", ""))
    return back(request, "申诉已提交。", _p_url(p.pk))


@login_required
@require_POST
@user_errors
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    a = access_appeal(user=request.user, appeal_id=appeal_id)
    services.appeal_decide(
        user=request.user,
        appeal=a,
        upheld=request.POST.get("upheld") == "1",
        decision=request.POST.get("decision", ""),
        new_total=request.POST.get("new_total"),
        new_grade=request.POST.get("new_grade", ""),
    )
    return back(request, "申诉已处理。", _p_url(a.participant_id))
