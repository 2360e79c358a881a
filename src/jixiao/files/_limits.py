"""How big a file or document may be; every reader checks these before it parses anything it
does not have to. Defaults are for one person's desktop; callers (the web, per role) pass their
own. The reasons for each default are in docs/files.md."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DocumentLimits", "Limits"]

MiB = 2**20


@dataclass(frozen=True, slots=True)
class Limits:
    """Limits of a table file (CSV or XLSX).

    ``max_uncompressed`` and ``max_ratio`` apply to the XLSX archive as a whole (checked from
    the zip directory before any XML is parsed, then against the bytes actually inflated);
    ``max_cells`` bounds rows × columns of the sheet's used range, which a spreadsheet reader
    allocates in full however few cells are filled.
    """

    max_bytes: int = 100 * MiB
    max_uncompressed: int = 512 * MiB
    max_ratio: float = 200.0
    max_entries: int = 10_000
    max_rows: int = 1_048_576
    max_columns: int = 16_384
    max_cells: int = 10_000_000
    max_cell_chars: int = 32_767

    @property
    def max_entry_ratio(self) -> float:
        """One archive member may compress better than the whole (styles, empty rows)."""
        return self.max_ratio * 5


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """Limits of a YAML / JSON document (schemes, pay plans, profiles, results).

    ``max_nodes`` counts nodes with every alias expanded, so a "billion laughs" document is
    refused while it is composed, before anything is built from it.
    """

    max_bytes: int = 2 * MiB
    max_depth: int = 64
    max_aliases: int = 256
    max_nodes: int = 200_000
