"""Forms that keep what the user typed and say what is wrong, next to the field.

``{% posted_form 'cycles:plan_item' p.pk as f %}`` gives the form at that action: ``f.action``
(its URL), ``f.posted`` (this form was just refused), ``f.errors.<field>``; ``f|value:"weight"``
is what the user typed (``None`` when the form was not posted: ``|default_if_none:initial``);
``{% invalid f "weight" %}`` marks the input, ``{% field_error f "weight" %}`` says why next to
it and ``{% form_error f %}`` says it at the top of the form when no field is at fault. Several
forms posting to one action are told apart by keyword arguments matched against the posted
values (a value not posted at all matches): ``{% posted_form 'cycles:transition' cycle.pk
name=t.name as f %}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from jixiao.web.viewutils import PostedForm

register = template.Library()


@dataclass(frozen=True)
class FormView:
    action: str
    form: PostedForm | None = None
    request: Any = field(default=None, compare=False, repr=False)

    def placed(self) -> None:
        """The message was written on the page (else the page repeats it at the top)."""
        if self.request is not None:
            self.request.posted_form_placed = True

    @property
    def posted(self) -> bool:
        return self.form is not None

    @property
    def errors(self) -> dict[str, str]:
        if self.form is None or self.form.field is None:
            return {}
        return {self.form.field: self.form.message}

    @property
    def error(self) -> str:
        """The message when it is about the form as a whole (its summary when the issues
        are listed below it)."""
        if self.form is None or self.form.field is not None:
            return ""
        return self.form.summary or self.form.message


@register.simple_tag(takes_context=True)
def posted_form(context: template.Context, viewname: str, *args: Any, **match: Any) -> FormView:
    action = reverse(viewname, args=args)
    request = context.get("request")
    form: PostedForm | None = getattr(request, "posted_form", None)
    if form is not None and (
        form.action != action
        or any(k in form.values and form.values.get(k) != str(v) for k, v in match.items())
    ):
        form = None
    return FormView(action, form, request)


@register.filter
def value(f: FormView, name: str) -> str | None:
    """What the user typed into ``name`` (``None`` when this form was not posted)."""
    if f.form is None:
        return None
    return f.form.values.get(name, "")


@register.filter
def values(f: FormView, name: str) -> list[str]:
    """Every value posted for ``name`` (checkbox groups, multiple selects)."""
    return f.form.values.getlist(name) if f.form is not None else []


@register.simple_tag
def invalid(f: FormView, name: str) -> SafeString:
    """Attributes for the input the message is about (focus goes there)."""
    if name not in f.errors:
        return mark_safe("")
    return format_html(' aria-invalid="true" aria-describedby="{}" autofocus', _error_id(name))


@register.simple_tag
def field_error(f: FormView, name: str) -> SafeString:
    message = f.errors.get(name)
    if not message:
        return mark_safe("")
    f.placed()
    return format_html(
        '<span class="field-error" id="{}" role="alert">{}</span>', _error_id(name), message
    )


@register.simple_tag
def form_error(f: FormView) -> SafeString:
    """At the top of the form: the anchor the page's banner links to, the message when no field
    is at fault, and every issue of a document (scheme, pay plan) that has several."""
    if f.form is None:
        return mark_safe("")
    if f.error:
        f.placed()
    anchor = mark_safe('<a id="form-error"></a>')
    return format_html("{}{}", anchor, _error_box(f.error, f.form.issue_lines()))


@register.simple_tag(takes_context=True)
def page_error(context: template.Context) -> SafeString:
    """At the top of every page (``base.html``): a link down to the refused form, or the whole
    message when the page does not show that form or field."""
    request = context.get("request")
    form: PostedForm | None = getattr(request, "posted_form", None)
    if form is None:
        return mark_safe("")
    if getattr(request, "posted_form_unplaced", False):
        return _error_box(form.summary or form.message, form.issue_lines())
    return format_html(
        '<p class="error-box page-error"><a href="#form-error">{}</a></p>',
        gettext("未能完成：请按表单中标出的提示修改后再提交。"),
    )


def _error_box(message: str, lines: list[str]) -> SafeString:
    if not message and not lines:
        return mark_safe("")
    issues = (
        format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in lines)))
        if lines
        else ""
    )
    return format_html('<div class="error-box form-error" role="alert">{}{}</div>', message, issues)


def _error_id(name: str) -> str:
    return f"error-{name}"
