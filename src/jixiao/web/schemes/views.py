"""Schemes in the browser (HR): list, create from a template, edit YAML with validation, publish."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.files import DocumentError, check_document
from jixiao.web.access import require_role
from jixiao.web.cycles.services import CycleError
from jixiao.web.schemes import services
from jixiao.web.schemes.models import Scheme, SchemeVersion
from jixiao.web.schemes.templates_lib import builtin_templates
from jixiao.web.schemes.validation import scheme_outline, validate_yaml
from jixiao.web.viewutils import back, user_errors

HR = frozenset({"hr"})
MAX_YAML = 200_000


def _text(request: HttpRequest) -> str:
    text = request.POST.get("yaml_text", "")
    if len(text) > MAX_YAML:
        raise CycleError("方案文本过长（超过 200 KB），请精简后再保存。")
    try:  # alias bombs and deep nesting are refused before anything validates or stores them
        check_document(text, name="方案")
    except DocumentError as exc:
        raise CycleError(f"无法处理该方案：{exc}") from None
    return text.replace("\r\n", "\n")


@login_required
@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    require_role(user=request.user, roles=HR)
    schemes = Scheme.objects.prefetch_related("versions").order_by("code")
    return render(
        request,
        "schemes/list.html",
        {
            "schemes": schemes,
            "templates": builtin_templates(),
        },
    )


@login_required
@require_POST
@user_errors
def scheme_new(request: HttpRequest) -> HttpResponse:
    require_role(user=request.user, roles=HR)
    key = request.POST.get("template", "")
    text = _text(request)
    if key:
        tpl = next((t for t in builtin_templates() if t.key == key), None)
        if tpl is None:
            raise CycleError("没有这个内置模板，请从列表中选择。")
        text = tpl.yaml_text
    try:
        outline = scheme_outline(text)
    except ValueError as exc:
        raise CycleError(f"方案无法读取：{exc}") from None
    code = (request.POST.get("code") or outline.code or "").strip()
    name = (request.POST.get("name") or outline.name or code).strip()
    if not code:
        raise CycleError("请填写方案编码（或在 YAML 中写 code:）。")
    if Scheme.objects.filter(code=code).exists():
        raise CycleError(f"方案编码“{code}”已存在，请换一个编码，或打开该方案新建版本。")
    version = services.scheme_create(actor=request.user, code=code, name=name, yaml_text=text)
    return redirect("schemes:version", version_id=version.pk)


@login_required
@require_http_methods(["GET", "POST"])
@user_errors
def version_edit(request: HttpRequest, version_id: int) -> HttpResponse:
    require_role(user=request.user, roles=HR)
    version = get_object_or_404(SchemeVersion.objects.select_related("scheme"), pk=version_id)
    if request.method == "POST":
        version = services.scheme_version_update(
            actor=request.user, version=version, yaml_text=_text(request)
        )
        return back(request, "已保存草稿。")
    messages, checked = validate_yaml(version.yaml_text)
    others = version.scheme.versions.order_by("-number")
    return render(
        request,
        "schemes/version.html",
        {
            "version": version,
            "messages_list": messages,
            "checked": checked,
            "others": others,
        },
    )


@login_required
@require_POST
def version_validate(request: HttpRequest, version_id: int) -> HttpResponse:
    """HTMX: validate the text in the editor without saving."""
    require_role(user=request.user, roles=HR)
    get_object_or_404(SchemeVersion, pk=version_id)
    try:
        text = _text(request)
    except ValueError as exc:
        return render(
            request,
            "schemes/_messages.html",
            {
                "messages_list": [{"level": "error", "path": "", "message": str(exc)}],
                "checked": False,
            },
            status=400,
        )
    messages, checked = validate_yaml(text)
    return render(
        request, "schemes/_messages.html", {"messages_list": messages, "checked": checked}
    )


@login_required
@require_POST
@user_errors
def version_publish(request: HttpRequest, version_id: int) -> HttpResponse:
    require_role(user=request.user, roles=HR)
    version = get_object_or_404(SchemeVersion, pk=version_id)
    services.scheme_version_publish(actor=request.user, version=version)
    return back(request, "已发布，该版本从此冻结。")


@login_required
@require_POST
@user_errors
def version_new_draft(request: HttpRequest, version_id: int) -> HttpResponse:
    require_role(user=request.user, roles=HR)
    version = get_object_or_404(SchemeVersion.objects.select_related("scheme"), pk=version_id)
    draft = services.scheme_version_new_draft(actor=request.user, scheme=version.scheme)
    return redirect("schemes:version", version_id=draft.pk)
