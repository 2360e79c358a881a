"""The `jixiao` command line. Each sub-command group lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="jixiao",
    help="绩效考核与绩效薪酬 — performance appraisal and pay for e-commerce teams.",
    no_args_is_help=True,
    add_completion=False,
)


def _register() -> None:
    # Imported here so that `import jixiao.cli` stays cheap and import cycles cannot form.
    from jixiao.cli import scoring

    scoring.register(app)
    from jixiao.cli import pay

    pay.register(app)
    from jixiao.cli import ingest

    ingest.register(app)
    from jixiao.cli import history

    history.register(app)


def main() -> None:
    _register()
    app()
