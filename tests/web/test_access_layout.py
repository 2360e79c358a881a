"""Permission checks live in ``jixiao.web.access`` only (AST scan of the web package).

- Views and view helpers never import, raise or catch ``PermissionDenied``, never read a role
  of an actor, employee or user themselves, and never fetch a record themselves (no
  ``get_object_or_404``, no ``Model.objects``): they call ``access_*`` / ``can_*`` / ``require_*``.
- Services and selectors never touch ``PermissionDenied`` or read a role either, and every
  service that takes a ``user`` checks its rights through the access package.
- ``user`` parameters of access functions, services and selectors are typed as Django users.
- Templates ask ``may.*`` (``jixiao.web.access.menu``), never ``actor.is_hr`` and the like.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "web"
ACCESS = WEB / "access"

ROLE_ATTRS = frozenset(
    {
        "is_hr",
        "is_gm",
        "is_leadership",
        "is_working_group",
        "sees_all",
        "headed",
        "overseen",
        "is_head",
        "is_supervisor",
        "is_manager",
        "managed_departments",
        "department_ids",
        "delegated_export",
        "can_export",
        "is_superuser",
        "is_staff",
        "oversees",
        "headed_departments",
    }
)


def _py(pattern: str) -> list[Path]:
    return sorted(p for p in WEB.glob(pattern) if "migrations" not in p.parts)


def view_modules() -> list[Path]:
    return sorted(
        {
            *_py("**/views.py"),
            *_py("**/actions.py"),
            *_py("**/templatetags/*.py"),
            WEB / "viewutils.py",
            WEB / "accounts" / "context.py",
        }
        & set(WEB.rglob("*.py"))
    )


def service_modules() -> list[Path]:
    return sorted({*_py("**/services.py"), *_py("**/services/*.py"), WEB / "document_versions.py"})


def selector_modules() -> list[Path]:
    return _py("**/selectors.py")


def _rel(path: Path) -> str:
    return str(path.relative_to(WEB))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def permission_denied_uses(tree: ast.Module) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(
            a.name == "PermissionDenied" for a in node.names
        ):
            out.append(f"{node.lineno}: imports PermissionDenied")
        elif "PermissionDenied" in {getattr(node, "id", None), getattr(node, "attr", None)}:
            out.append(f"{node.lineno}: uses PermissionDenied")
    return out


def role_reads(tree: ast.Module) -> list[str]:
    return [
        f"{node.lineno}: reads .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Load)
        and node.attr in ROLE_ATTRS
        and not (isinstance(node.value, ast.Name) and node.value.id == "access")
    ]


def own_fetches(tree: ast.Module) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in {"get_object_or_404", "get_list_or_404"}:
            out.append(f"{node.lineno}: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr == "objects":
            out.append(f"{node.lineno}: .objects")
    return out


def untyped_users(tree: ast.Module) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for arg in [*node.args.args, *node.args.kwonlyargs]:
            if arg.arg != "user":
                continue
            note = ast.unparse(arg.annotation) if arg.annotation else ""
            if not note or "Any" in note:
                out.append(f"{node.lineno}: {node.name}(user: {note or '—'})")
    return out


def _access_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("jixiao.web.access"):
            names |= {a.asname or a.name for a in node.names}
    return names


def _calls(fn: ast.AST) -> set[str]:
    out = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name):
                out.add(f.id)
            elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
                out.add(f"{f.value.id}.{f.attr}")
    return out


def unchecked_services(tree: ast.Module) -> list[str]:
    """Public functions taking ``user`` that never reach an access check (through the
    module's own helpers, too)."""
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    access = _access_names(tree)
    checked = {
        name
        for name, fn in funcs.items()
        if any(c in access or c.startswith("access.") for c in _calls(fn))
    }
    changed = True
    while changed:
        changed = False
        for name, fn in funcs.items():
            if name not in checked and _calls(fn) & checked:
                checked.add(name)
                changed = True
    return [
        f"{fn.lineno}: {name}"
        for name, fn in funcs.items()
        if not name.startswith("_")
        and any(a.arg == "user" for a in [*fn.args.args, *fn.args.kwonlyargs])
        and name not in checked
    ]


def _offences(paths: list[Path], *checks) -> list[str]:
    out = []
    for path in paths:
        tree = _tree(path)
        for check in checks:
            out += [f"{_rel(path)}:{line}" for line in check(tree)]
    return out


# --- the rules ------------------------------------------------------------------------------


def test_the_scan_finds_the_view_modules():
    names = {_rel(p) for p in view_modules()}
    assert {"cycles/views.py", "cycles/actions.py", "payroll/views.py", "viewutils.py"} <= names
    assert {"schemes/views.py", "imports/views.py", "audit/views.py"} <= names
    assert {"payroll/services/runs.py", "cycles/services/planning.py"} <= {
        _rel(p) for p in service_modules()
    }


def test_views_never_decide_permissions_themselves():
    assert _offences(view_modules(), permission_denied_uses, role_reads, own_fetches) == []


def test_services_and_selectors_check_rights_only_through_access():
    paths = service_modules() + selector_modules()
    assert _offences(paths, permission_denied_uses, role_reads) == []


def test_every_service_taking_a_user_checks_it():
    assert _offences(service_modules(), unchecked_services) == []


def test_user_parameters_are_typed():
    paths = sorted(ACCESS.glob("*.py")) + service_modules() + selector_modules() + view_modules()
    assert _offences(paths, untyped_users) == []


TEMPLATE_ROLE = re.compile(r"\b(?:actor|user|request\.user)\.(" + "|".join(ROLE_ATTRS) + r")\b")


def test_templates_ask_may_not_roles():
    bad = []
    for path in sorted((WEB / "templates").rglob("*.html")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            bad += [f"{path.name}:{n} {m.group(0)}" for m in TEMPLATE_ROLE.finditer(line)]
    assert bad == []


# --- the scanner itself catches what it should (so that the rules above can fail) ----------

BAD_VIEW = """
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from jixiao.web.access import actor_of
from jixiao.web.cycles.models import Cycle

def page(request):
    actor = actor_of(request.user)
    if not actor.is_hr and not request.user.is_superuser:
        raise PermissionDenied("no")
    cycle = get_object_or_404(Cycle, pk=1)
    return Cycle.objects.all()
"""

BAD_SERVICE = """
from typing import Any
from jixiao.web.access import require_hr

def thing_do(*, user: Any, x: int) -> None:
    helper(user)

def other_do(*, user, x: int) -> None:
    _checked(user=user)

def _checked(*, user) -> None:
    require_hr(user=user)
"""


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (permission_denied_uses, 2),
        (role_reads, 2),
        (own_fetches, 2),
    ],
)
def test_scanner_catches_a_bad_view(check, expected):
    assert len(check(ast.parse(BAD_VIEW))) == expected


def test_scanner_catches_a_bad_service():
    tree = ast.parse(BAD_SERVICE)
    assert [line.split(": ")[1] for line in unchecked_services(tree)] == ["thing_do"]
    assert len(untyped_users(tree)) == 3
