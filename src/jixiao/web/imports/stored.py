"""An upload's preview, parsed once and stored compactly with its batch (``ImportBatch.preview``).

Issue 9 (item 12): the batch page re-parsed the whole stored file on every view (4 s for a
40 MB CSV). Now the file is parsed when it is uploaded (and again only when a sub-account
mapping changes what it means, or when it is committed); every view shows this JSON: the
counts, at most ``MAX_SHOWN`` rejected / skipped rows and unmatched accounts (with the totals),
the column sums, the people left out and the values that would be written. Messages are kept
in both languages. The preview is the uploader's (what they may import); a commit re-reads the
file with the committer's rights.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from jixiao.web.errors import either, in_both
from jixiao.web.imports.selectors import ImportPlan

__all__ = ["MAX_SHOWN", "shown_preview", "stored_preview"]

MAX_SHOWN = 200  # rejected / skipped rows and unmatched accounts kept (the totals always are)
VERSION = 1


def _text(v: Any) -> str | None:
    return None if v is None else str(v)


def _both(text: Any) -> list[str]:
    return list(in_both(text)) if not isinstance(text, str) else [text, text]


def stored_preview(plan: ImportPlan) -> dict[str, Any]:
    """What the batch page shows, as JSON."""
    pv = plan.preview
    head = {
        k: getattr(pv, k)
        for k in ("file", "sha256", "profile", "profile_name", "sheet", "encoding", "header_row")
    }
    return {
        "version": VERSION,
        "pv": {
            **head,
            "rows_read": pv.rows_read,
            "rows_used": pv.rows_used,
            "periods": list(pv.periods),
            "warnings": [str(w) for w in pv.warnings],
            "unmapped_headers": list(pv.unmapped_headers),
            "columns": [{**asdict(c), "total": _text(c.total)} for c in pv.columns],
            "rejected": [asdict(i) for i in pv.rejected[:MAX_SHOWN]],
            "rejected_total": len(pv.rejected),
            "skipped": [str(i) for i in pv.skipped[:MAX_SHOWN]],
            "skipped_total": len(pv.skipped),
            "matched": len(pv.matched),
            "unmatched": [asdict(u) for u in pv.unmatched[:MAX_SHOWN]],
            "unmatched_total": len(pv.unmatched),
        },
        "codes": list(plan.codes),
        "table": [
            [
                r.participant.employee.number,
                r.participant.employee.name,
                [_text(r.values.get(c)) for c in plan.codes],
            ]
            for r in plan.rows
        ],
        "outside": [[number, name, *_both(why)] for number, name, why in plan.outside],
        "ignored_columns": list(plan.ignored_columns),
        "blockers": [_both(b) for b in plan.blockers],
        "value_count": plan.value_count,
    }


def _decimal(v: str | None) -> Decimal | None:
    return None if v is None else Decimal(v)


def shown_preview(data: dict[str, Any]) -> dict[str, Any]:
    """The template's context from :func:`stored_preview`'s JSON."""
    raw = data["pv"]
    pv = SimpleNamespace(
        **{k: v for k, v in raw.items() if k not in {"columns", "rejected", "unmatched"}},
        columns=[SimpleNamespace(**{**c, "total": _decimal(c["total"])}) for c in raw["columns"]],
        unmatched=[SimpleNamespace(**u) for u in raw["unmatched"]],
    )
    plan = SimpleNamespace(
        codes=data["codes"],
        outside=[(number, name, either(zh, en)) for number, name, zh, en in data["outside"]],
        ignored_columns=data["ignored_columns"],
        blockers=[either(zh, en) for zh, en in data["blockers"]],
        value_count=data["value_count"],
    )
    return {
        "pv": pv,
        "plan": plan,
        "rejected": [SimpleNamespace(**i) for i in raw["rejected"]],
        "skipped": raw["skipped"],
        "table": [
            (number, name, [_decimal(v) for v in values]) for number, name, values in data["table"]
        ],
    }
