"""Bytes in: a file (stat'ed before it is read) or uploaded bytes, with its name and sha256;
text encodings detected, never assumed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from jixiao.files._errors import FileTooLarge, UnreadableFile
from jixiao.files._limits import Limits

__all__ = ["Source", "decode_text", "open_source", "read_bytes"]

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    data: bytes
    sha256: str


def _mb(n: float) -> str:
    return f"{n / 2**20:.1f}"


def too_big(label: str, size: int, limit: int) -> FileTooLarge:
    return FileTooLarge(
        label,
        f"文件太大（{_mb(size)} MB，上限 {_mb(limit)} MB）；请按月份或店铺拆分后再导入",
        f"file too large ({_mb(size)} MB, limit {_mb(limit)} MB); split it by month or shop",
    )


def read_bytes(path: str | Path, *, name: str | None = None, max_bytes: int) -> bytes:
    """The bytes of ``path``; its size is checked (stat) before anything is read."""
    p = Path(path)
    label = name or str(p)
    if p.is_dir():
        raise UnreadableFile(
            label, "无法读取：这是文件夹，不是文件", "cannot read it: a folder, not a file"
        )
    if not p.is_file():
        raise UnreadableFile(label, "找不到文件，请检查路径", "file not found; check the path")
    size = p.stat().st_size
    if size > max_bytes:
        raise too_big(label, size, max_bytes)
    try:
        with p.open("rb") as fh:
            # read(n) allocates n bytes up front: ask for what stat said, plus one byte to
            # notice a file that grew since; read on (in pieces) only if it did.
            data = fh.read(size + 1)
            while len(data) > size and len(data) <= max_bytes:
                more = fh.read(min(2**20, max_bytes + 1 - len(data)))
                if not more:
                    break
                data += more
    except OSError as exc:
        raise UnreadableFile(
            label, f"无法读取（{exc.strerror or exc}）", f"cannot read ({exc})"
        ) from None
    if len(data) > max_bytes:
        raise too_big(label, len(data), max_bytes)
    return data


def open_source(
    src: str | Path | bytes, *, name: str | None = None, limits: Limits | None = None
) -> Source:
    """A table file or uploaded bytes, refused when too big or empty."""
    lim = limits or Limits()
    if isinstance(src, bytes):
        data, label = src, name or "上传的文件"
        if len(data) > lim.max_bytes:
            raise too_big(label, len(data), lim.max_bytes)
    else:
        label = name or str(src)
        data = read_bytes(src, name=label, max_bytes=lim.max_bytes)
    if not data.strip():
        raise UnreadableFile(label, "文件是空的", "the file is empty")
    return Source(label, data, hashlib.sha256(data).hexdigest())


def decode_text(data: bytes, label: str) -> tuple[str, str]:
    """(text, encoding): UTF-16 and UTF-8 by their BOM, then strict UTF-8, then GB18030 (which
    covers GBK and GB2312). Anything else is refused."""
    for bom, enc in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc), enc
            except UnicodeDecodeError:
                break
    else:
        if data.startswith(_UTF8_BOM):
            try:
                return data[3:].decode("utf-8"), "utf-8-sig"
            except UnicodeDecodeError:
                pass
        else:
            for enc in ("utf-8", "gb18030"):
                try:
                    return data.decode(enc), enc
                except UnicodeDecodeError:
                    continue
    raise UnreadableFile(
        label,
        "无法识别文件编码（支持 UTF-8、带 BOM 的 UTF-8、UTF-16 与 GBK/GB18030）；"
        "请在 Excel / WPS 中另存为 “CSV UTF-8” 后再导入",
        "unknown text encoding (UTF-8, UTF-8 with BOM, UTF-16 and GBK/GB18030 are read); "
        'save the file as "CSV UTF-8" in Excel / WPS',
    )
