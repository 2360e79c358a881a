"""Every POST view reports a user's mistake the one way: ``form_post`` (AST scan)."""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "web"


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _form_post_names(tree: ast.Module) -> set[str]:
    """``form_post`` and the module's shorthands for it (``run_form = form_post(run_sheet)``)."""
    names = {"form_post"}
    for node in tree.body:
        if isinstance(node, ast.Assign) and _name(node.value) == "form_post":
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _accepts_post(fn: ast.FunctionDef) -> bool:
    for d in fn.decorator_list:
        if _name(d) == "require_POST":
            return True
        if _name(d) == "require_http_methods" and isinstance(d, ast.Call):
            methods = ast.literal_eval(d.args[0])
            if "POST" in methods:
                return True
    return False


def unguarded_posts(tree: ast.Module) -> list[str]:
    """POST views neither wrapped in ``form_post`` nor handing the POST to a function that is."""
    wrappers = _form_post_names(tree)
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    guarded = {
        name for name, fn in funcs.items() if any(_name(d) in wrappers for d in fn.decorator_list)
    }
    bad = []
    for name, fn in funcs.items():
        if not _accepts_post(fn) or name in guarded:
            continue
        called = {_name(c.func) for c in ast.walk(fn) if isinstance(c, ast.Call)}
        if not called & guarded:
            bad.append(f"{fn.lineno}: {name}")
    return bad


def test_every_post_view_uses_form_post():
    modules = sorted({*WEB.glob("**/views.py"), *WEB.glob("**/actions.py")})
    assert len(modules) >= 6
    offenders = []
    posts = 0
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        posts += sum(1 for n in tree.body if isinstance(n, ast.FunctionDef) and _accepts_post(n))
        offenders += [f"{path.relative_to(WEB)}:{x}" for x in unguarded_posts(tree)]
    assert offenders == []
    assert posts >= 30  # the scan really sees the POST views


def test_the_scan_catches_a_post_view_without_it():
    tree = ast.parse(
        "from x import form_post, require_POST\n"
        "page_form = form_post(page)\n"
        "@require_POST\n@page_form\ndef ok(request): ...\n"
        "@require_POST\ndef bad(request): ...\n"
        "@require_http_methods(['GET', 'POST'])\ndef both(request):\n    return ok(request)\n"
    )
    assert [x.split(": ")[1] for x in unguarded_posts(tree)] == ["bad"]
