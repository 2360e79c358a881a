"""Files in and out: the one reader of CSV / XLSX tables, the one loader of YAML / JSON
documents and the one set of writers (CSV, XLSX, JSON), with the same limits and the same
formula-injection convention everywhere. See docs/files.md.

* :func:`read_table` — bytes in (a path is stat'ed first), limits checked before parsing
  (sizes, XLSX decompressed size and ratio, rows, columns, cells), encoding detected, the
  header row found below any title rows; every cell text, rows numbered as Excel shows them.
* :func:`load_document` — YAML / JSON with limits on size, depth and alias expansion.
* :func:`csv_bytes`, :func:`write_csv`, :func:`xlsx_bytes`, :func:`write_xlsx`,
  :class:`XlsxBook`, :func:`json_text`, :func:`write_json` — text cells that a spreadsheet would
  run as a formula get a leading apostrophe; :func:`read_table` takes it off again.

Every refusal is a :class:`FileError` (a :class:`~jixiao.errors.UserError`) naming the file and,
where it applies, the sheet, row and column or the line. Pure Python: never imports Django.
"""

from jixiao.files._cells import DANGEROUS, quote_text, unquote_text
from jixiao.files._document import Syntax, check_document, load_document
from jixiao.files._errors import (
    DocumentError,
    DocumentSyntaxError,
    DocumentTooComplex,
    FileError,
    FileTooLarge,
    UnreadableFile,
    location,
)
from jixiao.files._header import (
    EMPLOYEE_ALIASES,
    GROUP_ALIASES,
    NAME_ALIASES,
    PERSON_ALIASES,
    find_column,
    find_header,
    header_unit,
    norm_header,
)
from jixiao.files._limits import DocumentLimits, Limits
from jixiao.files._logs import scan_csv
from jixiao.files._read import read_table
from jixiao.files._source import Source, decode_text, open_source, read_bytes
from jixiao.files._table import ROW, RawTable
from jixiao.files._write import (
    XlsxBook,
    XlsxSheet,
    csv_bytes,
    csv_text,
    json_text,
    write_csv,
    write_file,
    write_json,
    write_xlsx,
    xlsx_bytes,
)

__all__ = [
    "DANGEROUS",
    "EMPLOYEE_ALIASES",
    "GROUP_ALIASES",
    "NAME_ALIASES",
    "PERSON_ALIASES",
    "ROW",
    "DocumentError",
    "DocumentLimits",
    "DocumentSyntaxError",
    "DocumentTooComplex",
    "FileError",
    "FileTooLarge",
    "Limits",
    "RawTable",
    "Source",
    "Syntax",
    "UnreadableFile",
    "XlsxBook",
    "XlsxSheet",
    "check_document",
    "csv_bytes",
    "csv_text",
    "decode_text",
    "find_column",
    "find_header",
    "header_unit",
    "json_text",
    "load_document",
    "location",
    "norm_header",
    "open_source",
    "quote_text",
    "read_bytes",
    "read_table",
    "scan_csv",
    "unquote_text",
    "write_csv",
    "write_file",
    "write_json",
    "write_xlsx",
    "xlsx_bytes",
]
