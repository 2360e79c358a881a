"""View helpers. The one way a form post reports a mistake: :func:`form_post`.

A POST view wrapped in ``form_post(page)`` that raises a :class:`~jixiao.errors.UserError`
re-renders ``page`` — the page holding the form — with status 400: the message stands next to
the field named by the error (or at the top of the form when it names none), in the user's
language, and every field keeps what the user typed. An HTMX post re-renders its partial
instead. Templates read the posted form with ``{% posted_form 'app:view' args as f %}``
(``jixiao_forms``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from jixiao.errors import Issue, UserError
from jixiao.web.access import upload_limit
from jixiao.web.errors import ConflictError, WebError

__all__ = [
    "ID_MAX",
    "IdConverter",
    "PostedForm",
    "back",
    "form_post",
    "int_or_none",
    "posted_form_of",
    "queued_response",
    "shown_value",
    "upload_of",
]

View = Callable[..., HttpResponse]
PageArgs = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class PostedForm:
    """A form post that failed: where it went, what was typed, what is wrong."""

    action: str
    values: QueryDict
    message: str
    field: str | None = None
    issues: tuple[Issue, ...] = ()
    summary: str = ""  # heads the list of issues (the message names them all)

    @property
    def lang(self) -> str:
        return "en" if (get_language() or "").startswith("en") else "zh"

    def issue_lines(self) -> list[str]:
        """Every issue (errors first) in the user's language, with where it is."""
        out = []
        for i in sorted(self.issues, key=lambda i: i.level != "error"):
            text = i.message_en if self.lang == "en" and i.message_en else i.message
            out.append(f"{i.path}: {text}" if i.path else text)
        return out

    def as_messages(self) -> list[dict[str, str]]:
        """For the validation partial (``schemes/_messages.html``)."""
        if self.issues:
            return [
                {
                    "level": i.level,
                    "path": i.path,
                    "message": i.message_en if self.lang == "en" and i.message_en else i.message,
                }
                for i in self.issues
            ]
        return [{"level": "error", "path": self.field or "", "message": self.message}]


def posted_form_of(request: HttpRequest) -> PostedForm | None:
    return getattr(request, "posted_form", None)


def shown_value(request: HttpRequest, name: str, stored: str) -> str:
    """What the page shows in field ``name``: what a refused post sent, else ``stored``."""
    posted = posted_form_of(request)
    return posted.values.get(name, stored) if posted else stored


def _posted(request: HttpRequest, exc: UserError, file_fields: Iterable[str]) -> PostedForm:
    lang = get_language() or "zh-hans"
    known = set(request.POST) | set(request.FILES) | set(file_fields)
    # a field the submitted form does not have: say it at the top of the form instead
    where = exc.field if exc.field in known else None
    summary = getattr(exc, "summary", None)
    return PostedForm(
        action=request.path,
        values=request.POST,
        message=exc.localized(lang),
        field=where,
        issues=exc.issues,
        summary=summary(lang) if callable(summary) else "",
    )


def form_post(
    page: View | None = None,
    *,
    page_args: PageArgs | None = None,
    partial: str | None = None,
    file_fields: Iterable[str] = (),
) -> Callable[[View], View]:
    """Wrap a POST view: a user error re-renders ``page`` with the posted form (status 400).

    ``page`` is the GET view of the page holding the form; it is called with the POST view's
    URL arguments, or with ``page_args(request, **kwargs)`` when they differ (a rating's form
    lives on the cycle's ratings page). ``partial``: the template an HTMX post (or a view
    without a page) re-renders instead, with ``form``, ``message`` and ``messages_list``.
    ``file_fields``: file inputs the message may stand next to (a missing file is not posted).
    """
    files = tuple(file_fields)

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                with transaction.atomic():  # a refused post leaves nothing behind
                    return view(request, *args, **kwargs)
            except UserError as exc:
                posted = _posted(request, exc, files)
            except IntegrityError:  # a race the service's locks did not foresee: no 500
                posted = _posted(request, ConflictError(), files)
            setattr(request, "posted_form", posted)  # noqa: B010 - read by the templates
            htmx = request.headers.get("HX-Request") == "true"
            if partial is not None and (htmx or page is None):
                context = {
                    "form": posted,
                    "message": posted.message,
                    "messages_list": posted.as_messages(),
                    "checked": False,
                }
                # HTMX swaps 2xx answers only: the partial is the answer to show
                return render(request, partial, context, status=200 if htmx else 400)
            assert page is not None, f"{view.__name__}: form_post needs a page or a partial"
            target = page_args(request, **kwargs) if page_args else kwargs
            # links on the page that go "back here" (the language switch) mean the page, not
            # the URL the form posted to
            setattr(request, "page_url", _url_of(request, page, target))  # noqa: B010
            render_page = inspect.unwrap(page)
            response = render_page(request, **target)
            if not getattr(request, "posted_form_placed", False):
                # the page does not show that form or field (the state moved on, the form is
                # not for this user): say it at the top of the page instead
                setattr(request, "posted_form_unplaced", True)  # noqa: B010
                response = render_page(request, **target)
            response.status_code = 400
            return response

        setattr(wrapper, "form_page", page)  # noqa: B010 - tests find the page of a post
        return wrapper

    return decorate


def _url_of(request: HttpRequest, page: View, kwargs: dict[str, Any]) -> str:
    name = _url_names().get(page)
    if name is not None:
        return reverse(name, kwargs=kwargs)
    return back_url(request, default=request.path)  # a page helper: where the form came from


@functools.cache
def _url_names() -> dict[Any, str]:
    """Each routed view and its namespaced URL name (``cycles:participant``)."""
    out: dict[Any, str] = {}

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                out.setdefault(p.callback, prefix + p.name)

    walk(get_resolver().url_patterns, "")
    return out


def back_url(request: HttpRequest, default: str = "/") -> str:
    url = request.POST.get("next") or request.GET.get("next") or request.META.get("HTTP_REFERER")
    if url and not url.startswith(("/", "http://", "https://")):
        # "1e15" is no URL: redirect() would look it up as a view name (a 500, found by the fuzz)
        url = None
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def back(request: HttpRequest, message: str = "", default: str = "/") -> HttpResponse:
    if message:
        messages.success(request, message)
    return redirect(back_url(request, default))


ID_MAX = 2**63 - 1  # the largest BIGINT on SQLite and PostgreSQL; a larger id fits no row


def upload_of(request: HttpRequest, *, error: type[WebError], field: str = "file") -> Any:
    """The uploaded file ``field``, refused (``error``) when missing or larger than the user's
    limit (``access.upload_limit``) — checked on the size Django reports, before reading it."""
    f = request.FILES.get(field)
    if f is None:
        raise error(_("请选择要上传的文件（CSV 或 XLSX）。"), field=field)
    limit = upload_limit(user=request.user)
    if f.size is not None and f.size > limit:
        raise error(
            _("“%(name)s”有 %(size)s MB，超过您可以上传的上限 %(limit)s MB；请拆分后再上传。"),
            params={"name": f.name, "size": f"{f.size / 2**20:.1f}", "limit": limit // 2**20},
            field=field,
        )
    return f


def int_or_none(value: Any) -> int | None:
    """An id from a form or query (``None`` for no number or one no database row can have:
    ``9999999999999999999999999`` overflows SQLite's INTEGER and PostgreSQL's BIGINT)."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    n = int(text)
    return n if n <= ID_MAX else None


class IdConverter:
    """``<id:name>`` in URLs: like ``<int:…>`` but only ids a database row can have (a longer
    number is a 404, not an overflow in the query)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        n = int(value)
        if n > ID_MAX:
            raise ValueError(value)  # the URL does not match: 404
        return n

    def to_url(self, value: Any) -> str:
        return str(value)


def queued_response(request: HttpRequest, job: Any) -> HttpResponse | None:
    """After starting a background job (``jobs.job_submit``): its progress page while it is
    queued; ``None`` when it already ran in-process, so the view answers as it always did."""
    if job.finished:
        return None
    messages.info(request, gettext("已在后台开始“%(kind)s”。") % {"kind": job.get_kind_display()})
    return redirect("jobs:detail", job.pk)
