"""Schemes in the browser (HR): list, create from a template, edit YAML with validation, publish."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.files import DocumentError, check_document
from jixiao.web.access import access_scheme_version, require_scheme_admin
from jixiao.web.errors import either
from jixiao.web.schemes import selectors, services
from jixiao.web.schemes.templates_lib import builtin_templates
from jixiao.web.schemes.validation import scheme_heading, validate_yaml
from jixiao.web.viewutils import back, form_post, shown_value

MAX_YAML = 200_000


def _text(request: HttpRequest) -> str:
    text = request.POST.get("yaml_text", "")
    if len(text) > MAX_YAML:
        raise services.SchemeError(
            _("方案文本过长（超过 200 KB），请精简后再保存。"), field="yaml_text"
        )
    try:  # alias bombs and deep nesting are refused before anything validates or stores them
        check_document(text, name="方案")
    except DocumentError as exc:
        raise services.SchemeError(
            _("无法处理该方案：%(why)s"),
            params={"why": either(exc.message, exc.message_en)},
            field="yaml_text",
        ) from None
    return text.replace("\r\n", "\n")


@login_required
@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    require_scheme_admin(user=request.user)
    return render(
        request,
        "schemes/list.html",
        {"schemes": selectors.scheme_list(), "templates": builtin_templates()},
    )


@login_required
@require_POST
@form_post(scheme_list)
def scheme_new(request: HttpRequest) -> HttpResponse:
    require_scheme_admin(user=request.user)
    key = request.POST.get("template", "")
    text = _text(request)
    if key:
        tpl = next((t for t in builtin_templates() if t.key == key), None)
        if tpl is None:
            raise services.SchemeError(_("没有这个内置模板，请从列表中选择。"), field="template")
        text = tpl.yaml_text
    try:
        heading_code, heading_name = scheme_heading(text)
    except ValueError as exc:
        raise services.SchemeError(
            _("方案无法读取：%(why)s"), params={"why": exc}, field="yaml_text"
        ) from None
    code = (request.POST.get("code") or heading_code or "").strip()
    name = (request.POST.get("name") or heading_name or code).strip()
    version = services.scheme_create(user=request.user, code=code, name=name, yaml_text=text)
    return redirect("schemes:version", version_id=version.pk)


def _version_page(request: HttpRequest, version_id: int) -> HttpResponse:
    version = access_scheme_version(user=request.user, version_id=version_id)
    text = shown_value(request, "yaml_text", version.yaml_text)  # what the editor shows
    messages, checked = validate_yaml(text)
    return render(
        request,
        "schemes/version.html",
        {
            "version": version,
            "messages_list": messages,
            "checked": checked,
            "others": version.scheme.versions.order_by("-number"),
        },
    )


@form_post(_version_page)
def _version_save(request: HttpRequest, version_id: int) -> HttpResponse:
    version = access_scheme_version(user=request.user, version_id=version_id)
    services.scheme_version_update(user=request.user, version=version, yaml_text=_text(request))
    return back(request, gettext("已保存草稿。"))


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, version_id: int) -> HttpResponse:
    if request.method == "POST":
        return _version_save(request, version_id=version_id)
    return _version_page(request, version_id=version_id)


@login_required
@require_POST
@form_post(partial="schemes/_messages.html")
def version_validate(request: HttpRequest, version_id: int) -> HttpResponse:
    """HTMX: validate the text in the editor without saving."""
    access_scheme_version(user=request.user, version_id=version_id)
    messages, checked = validate_yaml(_text(request))
    return render(
        request, "schemes/_messages.html", {"messages_list": messages, "checked": checked}
    )


@login_required
@require_POST
@form_post(_version_page)
def version_publish(request: HttpRequest, version_id: int) -> HttpResponse:
    version = access_scheme_version(user=request.user, version_id=version_id)
    services.scheme_version_publish(user=request.user, version=version)
    return back(request, gettext("已发布，该版本从此冻结。"))


@login_required
@require_POST
@form_post(_version_page)
def version_new_draft(request: HttpRequest, version_id: int) -> HttpResponse:
    version = access_scheme_version(user=request.user, version_id=version_id)
    draft = services.scheme_version_new_draft(user=request.user, scheme=version.scheme)
    return redirect("schemes:version", version_id=draft.pk)
