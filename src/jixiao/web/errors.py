"""User errors raised by the web layer, in Chinese and English from one message catalogue.

A web error is written once, as a lazily translated Chinese text with named parameters::

    raise CycleError(_("“%(label)s”应是数字，收到的是“%(value)s”。"),
                     field="weight", params={"label": _("权重"), "value": raw})

(``_`` is ``gettext_lazy``). The error renders the text in Chinese (``message``) and in
English (``message_en``, from ``locale/en``) — parameters that are themselves lazy texts (state
names, field labels) are rendered in each language too — so the page shows it in the language
the user chose, next to the form field ``field``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast

from django.utils.functional import Promise, lazy
from django.utils.translation import get_language, gettext, override
from django.utils.translation import gettext_lazy as _

from jixiao.errors import Issue, UserError

__all__ = [
    "ConflictError",
    "DocumentInvalidError",
    "WebError",
    "bilingual",
    "either",
    "in_both",
    "issues_of",
    "joined",
    "render_in",
    "text_of",
]


def render_in(lang: str, message: str | Promise, params: Mapping[str, Any] | None = None) -> str:
    """``message % params`` in ``lang`` (lazy texts among the params are rendered in it too)."""
    with override(lang):
        text = str(message)
        if params:
            text = text % {k: str(v) for k, v in params.items()}
    return text


def in_both(message: str | Promise, params: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """(Chinese, English)."""
    return render_in("zh-hans", message, params), render_in("en", message, params)


def _join(items: tuple[Any, ...], limit: int | None) -> str:
    names = [str(i) for i in items]
    sep = gettext("、")
    if limit is None or len(names) <= limit:
        return sep.join(names)
    return gettext("%(names)s 等 %(n)d 人") % {"names": sep.join(names[:limit]), "n": len(names)}


# lazy() is typed as returning the wrapped function's type; it returns a Promise
_lazy_join = cast(Callable[[tuple[Any, ...], int | None], Promise], lazy(_join, str))


def joined(items: Iterable[Any], limit: int | None = None) -> Promise:
    """A list for a message (``A、B、C`` / ``A, B, C``), cut to ``limit`` names with a count."""
    return _lazy_join(tuple(items), limit)


def _pick(zh: str, en: str) -> str:
    return en if (get_language() or "").startswith("en") else zh


either = cast(Callable[[str, str], Promise], lazy(_pick, str))
"""``either(zh, en)``: a text already written in both languages, as a lazy message parameter."""


def bilingual(message: str | Promise, params: Mapping[str, Any] | None = None) -> Promise:
    """``message % params`` rendered now in both languages, shown in the reader's."""
    return either(*in_both(message, params))


def text_of(exc: BaseException) -> Promise | str:
    """An exception's message as a parameter: both languages for a user error."""
    if isinstance(exc, UserError):
        return either(exc.message, exc.message_en)
    return str(exc)


class WebError(UserError):
    """The base of the web layer's user errors (see the module docstring)."""

    def __init__(
        self,
        message: str | Promise,
        *,
        params: Mapping[str, Any] | None = None,
        message_en: str = "",
        field: str | None = None,
        issues: Iterable[Issue] = (),
    ) -> None:
        zh, en = in_both(message, params)
        super().__init__(zh, message_en=message_en or en, field=field, issues=issues)

    @classmethod
    def wrap(cls, exc: UserError, *, prefix: str | Promise = "", field: str | None = None) -> Any:
        """This error class carrying another layer's user error (both languages kept)."""
        zh_prefix, en_prefix = in_both(prefix) if prefix else ("", "")
        out = cls(
            zh_prefix + exc.message,
            message_en=en_prefix + exc.message_en,
            field=field if field is not None else exc.field,
            issues=exc.issues,
        )
        return out


class ConflictError(WebError):
    """A write that lost a race with an identical or conflicting one (a unique constraint
    refused it): the page says so instead of a 500."""

    def __init__(self) -> None:
        super().__init__(
            _("这项操作刚刚已经提交过（可能是重复点击），或数据已被他人修改；请刷新页面查看结果。")
        )


def issues_of(messages: Sequence[Any]) -> tuple[Issue, ...]:
    """Validation messages (``level``, ``path``, ``message``, ``message_en``) as issues."""
    return tuple(
        Issue(
            "error" if m.level == "error" else "warning",
            m.path,
            m.message,
            getattr(m, "message_en", "") or m.message,
        )
        for m in messages
    )


class DocumentInvalidError(WebError):
    """A versioned document (scheme, pay plan) that cannot be published.

    The message names every error (``detailed``, with ``%(lines)s``); ``issues`` lists them one
    by one, and a page that shows the list heads it with ``summary`` (``counted``, ``%(n)s``)."""

    detailed: Promise
    counted: Promise

    def __init__(self, messages: Sequence[Any]) -> None:
        self.messages = messages
        errors = [m for m in messages if m.level == "error"]
        lines = either(
            "；".join(f"{m.path}: {m.message}" for m in errors),
            "; ".join(f"{m.path}: {getattr(m, 'message_en', '') or m.message}" for m in errors),
        )
        super().__init__(self.detailed, params={"lines": lines}, issues=issues_of(messages))
        self._summary = in_both(self.counted, {"n": len(errors)})

    def summary(self, lang: str = "zh") -> str:
        return self._summary[1] if lang.startswith("en") else self._summary[0]
