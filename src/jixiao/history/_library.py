"""Built-in policies shipped in ``jixiao/library/policies`` (one YAML file each), transcribing
the seeds' rules across months; every rule's description cites its seed."""

from __future__ import annotations

from pathlib import Path

from jixiao.errors import Issue
from jixiao.history._errors import PolicyError
from jixiao.history._load import load_policy
from jixiao.history._policy import Policy

__all__ = ["builtin_policies", "builtin_policy_paths", "find_policy"]

LIBRARY = Path(__file__).resolve().parent.parent / "library" / "policies"


def builtin_policy_paths() -> list[Path]:
    return sorted(LIBRARY.glob("*.yaml"))


def builtin_policies() -> list[Policy]:
    return [load_policy(p) for p in builtin_policy_paths()]


def find_policy(ref: str) -> Policy:
    """A policy by file path, or by the code / file stem of a built-in policy."""
    path = Path(ref)
    if path.suffix.lower() in {".yaml", ".yml", ".json"}:
        return load_policy(path)
    for p in builtin_policy_paths():
        if p.stem == ref:
            return load_policy(p)
    for policy in builtin_policies():
        if policy.code == ref:
            return policy
    codes = "、".join(p.stem for p in builtin_policy_paths())
    raise PolicyError(
        [
            Issue(
                "error",
                "(文件)",
                f"“{ref}”既不是政策文件也不是内置政策代码；内置政策：{codes}",
                f"no such policy file or built-in code; built-ins: {codes}",
            )
        ]
    )
