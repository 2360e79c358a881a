"""Built-in scheme templates transcribed from the source documents.

Each template is ``schemes/<code>.yaml`` with an example month of data beside it:
``schemes/<code>.data.csv`` (required), and optionally ``<code>.targets.csv`` and
``<code>.ratings.csv`` (long format: employee, item, rater_role, rater, score).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import polars as pl

from jixiao.engine import Scheme, load_scheme
from jixiao.files import PERSON_ALIASES, ROW, read_table

__all__ = ["Template", "get_template", "list_templates", "templates_dir"]


def templates_dir() -> Path:
    return Path(str(resources.files("jixiao.library") / "schemes"))


@dataclass(frozen=True)
class Template:
    code: str
    path: Path

    @property
    def scheme(self) -> Scheme:
        return _load(self.path)

    def _side(self, kind: str) -> Path | None:
        p = self.path.with_name(f"{self.code}.{kind}.csv")
        return p if p.exists() else None

    @property
    def data_path(self) -> Path | None:
        return self._side("data")

    @property
    def targets_path(self) -> Path | None:
        return self._side("targets")

    @property
    def ratings_path(self) -> Path | None:
        return self._side("ratings")

    def example(self) -> tuple[pl.DataFrame, pl.DataFrame | None, pl.DataFrame | None]:
        """The example data, targets and ratings frames shipped with the template."""
        if self.data_path is None:
            raise FileNotFoundError(f"模板 {self.code} 没有示例数据 {self.code}.data.csv")

        def read(p: Path | None) -> pl.DataFrame | None:
            return (
                None if p is None else read_table(p, known_headers=PERSON_ALIASES).frame.drop(ROW)
            )

        data = read(self.data_path)
        assert data is not None
        return data, read(self.targets_path), read(self.ratings_path)


@cache
def _load(path: Path) -> Scheme:
    return load_scheme(path)


def list_templates() -> list[Template]:
    return [Template(p.stem, p) for p in sorted(templates_dir().glob("*.yaml"))]


def get_template(code: str) -> Template:
    for t in list_templates():
        if t.code == code:
            return t
    import difflib

    codes = [t.code for t in list_templates()]
    close = difflib.get_close_matches(code, codes, n=3, cutoff=0.5)
    hint = f"；是不是 {'、'.join(close)}？" if close else "；用 `jixiao templates list` 查看全部"
    raise KeyError(f"没有内置方案 “{code}”{hint}")
