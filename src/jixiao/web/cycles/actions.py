"""Form posts (POST only). Each one fetches via ``access_*`` and calls one service; a mistake
re-renders the page holding the form (``form_post``) with the message next to the field."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from jixiao.web.access import (
    access_appeal,
    access_cycle,
    access_plan_item,
    access_rating,
    access_result,
    access_scheme_version,
    access_target_change,
    require_cycle_admin,
)
from jixiao.web.cycles import services, views
from jixiao.web.jobs.models import Job
from jixiao.web.jobs.services import job_submit
from jixiao.web.viewutils import back, form_post, int_or_none, queued_response, upload_of
from jixiao.web.workdays import date_from_form, deadline_from_form


def _p_url(pid: int) -> str:
    return reverse("cycles:participant", args=[pid])


def _item_page(request: HttpRequest, item_id: int) -> dict[str, int]:
    item = access_plan_item(user=request.user, plan_item_id=item_id)
    return {"participant_id": item.participant_id}


def _change_page(request: HttpRequest, change_id: int) -> dict[str, int]:
    change = access_target_change(user=request.user, change_id=change_id)
    return {"participant_id": change.plan_item.participant_id}


def _appeal_page(request: HttpRequest, appeal_id: int) -> dict[str, int]:
    return {"participant_id": access_appeal(user=request.user, appeal_id=appeal_id).participant_id}


def _ratings_page(request: HttpRequest, rating_id: int) -> dict[str, int]:
    rating = access_rating(user=request.user, rating_id=rating_id)
    return {"cycle_id": rating.participant.cycle_id}


def _team_page(request: HttpRequest, participant_id: int) -> dict[str, int]:
    return {"cycle_id": access_result(user=request.user, participant_id=participant_id).cycle_id}


dashboard_form = form_post(views.dashboard)
participant_form = form_post(views.participant)


@login_required
@require_POST
@dashboard_form
def transition(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    deadline = deadline_from_form(request.POST.get("deadline", ""), field="deadline")
    if request.POST.get("name") == "start_review":
        # scoring everyone is the long step: a background job (in-process without a broker)
        job = job_submit(user=request.user, kind=Job.Kind.SCORE_COMPUTE, target_id=cycle.pk)
        if (queued := queued_response(request, job)) is not None:
            return queued
        cycle = access_cycle(user=request.user, cycle_id=cycle_id)
        return back(
            request,
            gettext("已进入“%(state)s”阶段。") % {"state": cycle.get_state_display()},
            reverse("cycles:dashboard", args=[cycle.pk]),
        )
    cycle = services.cycle_transition(
        user=request.user,
        cycle=cycle,
        name=request.POST.get("name", ""),
        reason=request.POST.get("reason", ""),
        deadline=deadline,
    )
    return back(
        request,
        gettext("已进入“%(state)s”阶段。") % {"state": cycle.get_state_display()},
        reverse("cycles:dashboard", args=[cycle.pk]),
    )


@login_required
@require_POST
@dashboard_form
def rating_deadline(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    services.rating_deadline_set(
        user=request.user,
        cycle=cycle,
        deadline=deadline_from_form(request.POST.get("deadline", ""), field="deadline"),
        reason=request.POST.get("reason", ""),
    )
    return back(
        request, gettext("评分截止时间已调整。"), reverse("cycles:dashboard", args=[cycle.pk])
    )


@login_required
@require_POST
@form_post(views.dashboard, file_fields=("file",))
def import_metrics(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    upload = upload_of(request, error=services.CycleError)
    n = services.metrics_import(
        user=request.user, cycle=cycle, text=upload.read(), name=upload.name or "上传的文件"
    )
    return back(
        request,
        gettext("已导入 %(n)s 个数据。") % {"n": n},
        reverse("cycles:dashboard", args=[cycle.pk]),
    )


def _quotas(raw: str) -> dict[str, str]:
    """``A:20, E:10`` (full-width comma and colon too) → {"A": "20", "E": "10"}."""
    out = {}
    for part in raw.replace("，", ",").replace("：", ":").split(","):
        if part.strip():
            grade, _sep, pct = part.partition(":")
            out[grade.strip()] = pct.strip()
    return out


@login_required
@require_POST
@form_post(views.hr_setup)
def cycle_new(request: HttpRequest) -> HttpResponse:
    require_cycle_admin(user=request.user)
    ids = [i for i in (int_or_none(v) for v in request.POST.getlist("versions")) if i]
    versions = [access_scheme_version(user=request.user, version_id=i) for i in dict.fromkeys(ids)]
    cycle = services.cycle_create(
        user=request.user,
        name=request.POST.get("name", ""),
        period=request.POST.get("period", "month"),
        start=date_from_form(request.POST.get("start", ""), field="start"),
        end=date_from_form(request.POST.get("end", ""), field="end"),
        scheme_versions=versions,
        grade_quotas=_quotas(request.POST.get("quotas", "")),
    )
    return redirect("cycles:dashboard", cycle_id=cycle.pk)


@login_required
@require_POST
@participant_form
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
    return back(request, gettext("计划已保存。"), _p_url(p.pk))


@login_required
@require_POST
@participant_form
def sign(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.plan_sign(user=request.user, participant=p)
    return back(request, gettext("已签字确认。"), _p_url(p.pk))


@login_required
@require_POST
@participant_form
def absence(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.participant_set_absence(
        user=request.user,
        participant=p,
        absent_days=request.POST.get("absent_days"),
        reason=request.POST.get("reason", ""),
    )
    return back(request, gettext("缺勤已登记。"), _p_url(p.pk))


@login_required
@require_POST
@participant_form
def metric(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.metric_set(
        user=request.user,
        participant=p,
        code=request.POST.get("code", ""),
        value=request.POST.get("value"),
    )
    return back(request, gettext("数据已保存。"), _p_url(p.pk))


@login_required
@require_POST
@form_post(views.participant, page_args=_item_page)
def target_change(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_plan_item(user=request.user, plan_item_id=item_id)
    services.target_change_request(
        user=request.user,
        item=item,
        new_target=request.POST.get("new_target"),
        reason=request.POST.get("reason", ""),
    )
    return back(request, gettext("调整申请已提交，等待审批。"), _p_url(item.participant_id))


@login_required
@require_POST
@form_post(views.participant, page_args=_change_page)
def target_change_decide(request: HttpRequest, change_id: int) -> HttpResponse:
    change = access_target_change(user=request.user, change_id=change_id)
    services.target_change_decide(
        user=request.user,
        change=change,
        approve=request.POST.get("approve") == "1",
        note=request.POST.get("note", ""),
    )
    return back(request, gettext("已处理。"), _p_url(change.plan_item.participant_id))


@login_required
@require_POST
@form_post(views.ratings, page_args=_ratings_page)
def rate(request: HttpRequest, rating_id: int) -> HttpResponse:
    rating = access_rating(user=request.user, rating_id=rating_id)
    services.rating_submit(
        user=request.user,
        rating=rating,
        score=request.POST.get("score", ""),
        comment=request.POST.get("comment", ""),
    )
    return back(
        request,
        gettext("评分已提交。"),
        reverse("cycles:ratings", args=[rating.participant.cycle_id]),
    )


@login_required
@require_POST
@form_post(views.team, page_args=_team_page)
def calibrate(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.participant_calibrate(
        user=request.user,
        participant=p,
        grade=request.POST.get("grade", ""),
        reason=request.POST.get("reason", ""),
    )
    return back(request, gettext("等级已调整。"), _p_url(p.pk))


@login_required
@require_POST
@form_post(views.team)
def review(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    dept = int_or_none(request.POST.get("department"))
    if dept is None:
        raise services.CycleError(_("请选择要提交审核的部门。"))
    services.department_review_submit(
        user=request.user, cycle=cycle, department_id=dept, note=request.POST.get("note", "")
    )
    return back(request, gettext("部门审核已提交。"), reverse("cycles:team", args=[cycle.pk]))


@login_required
@require_POST
@participant_form
def interview(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.interview_note_set(user=request.user, participant=p, note=request.POST.get("note", ""))
    return back(request, gettext("面谈记录已保存。"), _p_url(p.pk))


@login_required
@require_POST
@participant_form
def confirm(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.result_confirm(user=request.user, participant=p)
    return back(request, gettext("您已确认本期考核结果。"), _p_url(p.pk))


@login_required
@require_POST
@participant_form
def appeal(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access_result(user=request.user, participant_id=participant_id)
    services.appeal_file(user=request.user, participant=p, reason=request.POST.get("reason", ""))
    return back(request, gettext("申诉已提交。"), _p_url(p.pk))


@login_required
@require_POST
@form_post(views.participant, page_args=_appeal_page)
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
    return back(request, gettext("申诉已处理。"), _p_url(a.participant_id))
