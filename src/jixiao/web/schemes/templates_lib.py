"""Built-in scheme templates: ``jixiao.library`` when it offers them, else the bundled samples."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

__all__ = ["BuiltinTemplate", "builtin_templates"]


@dataclass(frozen=True)
class BuiltinTemplate:
    key: str
    title: str
    yaml_text: str


def _library_templates() -> list[BuiltinTemplate]:
    """The scheme templates transcribed from the seeds (``jixiao.library.list_templates``)."""
    try:
        from jixiao.library import list_templates
    except ImportError:  # pragma: no cover - the library is part of the package
        return []
    out = []
    for t in list_templates():
        try:
            text = t.path.read_text(encoding="utf-8")
        except OSError:  # pragma: no cover - a broken entry must not break the page
            continue
        title = next(
            (
                ln.split(":", 1)[1].strip().strip("\"'")
                for ln in text.splitlines()
                if ln.startswith("name:")
            ),
            t.code,
        )
        out.append(BuiltinTemplate(f"lib:{t.code}", f"{title}（方案库 {t.code}）", text))
    return out


def builtin_templates() -> list[BuiltinTemplate]:
    samples = []
    folder = resources.files("jixiao.web.schemes") / "samples"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            text = entry.read_text(encoding="utf-8")
            title = next(
                (ln.split(":", 1)[1].strip() for ln in text.splitlines() if ln.startswith("name:")),
                entry.name,
            )
            samples.append(BuiltinTemplate(f"sample:{entry.name[:-5]}", title, text))
    return samples + _library_templates()
