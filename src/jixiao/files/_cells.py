"""Formula injection: the one convention for every CSV and XLSX the project writes and reads.

A text cell whose first character is ``=``, ``+``, ``-``, ``@``, tab or carriage return would
run as a formula when a spreadsheet opens (or re-enters) it. Writers put an apostrophe in
front; so that the mapping is exact both ways, text that already starts with apostrophes
followed by such a character gets one more. Readers remove one apostrophe in exactly those
cases, so our own exports read back as they were; numbers are never touched.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DANGEROUS", "quote_cell", "quote_text", "unquote_text"]

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(text: str) -> bool:
    return text.lstrip("'").startswith(DANGEROUS)


def quote_text(text: str) -> str:
    """``=SUM(1,2)`` → ``'=SUM(1,2)``; ``'=x`` → ``''=x``; anything else unchanged."""
    return "'" + text if _needs_quote(text) else text


def unquote_text(text: str) -> str:
    """The inverse of :func:`quote_text`: ``'=SUM(1,2)`` → ``=SUM(1,2)``."""
    return text[1:] if text.startswith("'") and _needs_quote(text) else text


def quote_cell(value: Any) -> Any:
    return quote_text(value) if isinstance(value, str) else value
