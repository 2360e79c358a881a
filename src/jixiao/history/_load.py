"""Loading and checking policy documents: every mistake becomes an :class:`Issue` whose path
names the rule by its code (``rules.top3.when.test``) and says in Chinese what to do."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from jixiao.errors import Issue
from jixiao.files import DocumentError, UnreadableFile, load_document
from jixiao.history._errors import PolicyError
from jixiao.history._policy import Count, Policy

__all__ = ["check_policy", "load_policy", "parse_policy", "policy_json_schema"]

_ZH = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（是否拼写错误？）",
    "string_type": "应当是文本",
    "int_type": "应当是整数",
    "int_parsing": "应当是整数",
    "float_type": "应当是数字",
    "float_parsing": "应当是数字",
    "list_type": "应当是列表",
    "dict_type": "应当是映射（键: 值）",
    "model_type": "应当是映射（键: 值）",
    "too_short": "不能为空",
    "string_too_long": "太长",
    "string_pattern_mismatch": "格式不对",
    "union_tag_invalid": "未知的 kind",
    "union_tag_not_found": "缺少 kind",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "finite_number": "应当是有限的数字",
}
_KINDS = {"streak", "count", "threshold", "current", "money", "personnel"}


def _path(loc: tuple[Any, ...], doc: Any) -> str:
    """``("rules", 2, "when", "streak", "test")`` → ``rules.top3.when.test`` (codes, not indexes;
    the union tag pydantic adds is not something the user wrote)."""
    out: list[str] = []
    node: Any = doc
    for key in loc:
        if isinstance(key, int) and isinstance(node, list):
            node = node[key] if 0 <= key < len(node) else None
            label = (node.get("code") or node.get("grade")) if isinstance(node, dict) else None
            out.append(f".{label}" if isinstance(label, str) and label else f"[{key}]")
        elif key in _KINDS and not (isinstance(node, dict) and key in node):
            continue
        else:
            out.append(f".{key}" if out else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(out) or "(根)"


def _message(err: Mapping[str, Any]) -> str:
    kind = str(err["type"])
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        return "取值不在允许范围内：" + str(err["msg"]).replace("Input should be", "应为")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        allowed = str(err.get("ctx", {}).get("expected_tags", ""))
        return f"{_ZH[kind]}；可用：{allowed}"
    return _ZH.get(kind, str(err["msg"]))


def check_policy(policy: Policy) -> list[Issue]:
    """Problems pydantic cannot see: repeated codes and grades, impossible counts, a table for
    a scheme the policy excludes, rules without a stated source (warning)."""
    issues: list[Issue] = []

    def add(path: str, zh: str, en: str, level: Literal["error", "warning"] = "error") -> None:
        issues.append(Issue(level, path, zh, en))

    repeated = [("rules", "规则", r.code) for r in policy.rules]
    repeated += [("application", "应用表", t.code) for t in policy.application]
    for (part, noun, code), n in Counter(repeated).items():
        if n > 1:
            add(
                f"{part}.{code}",
                f"{noun}代码 {code} 重复了 {n} 次；请改成不同的代码",
                "duplicate code",
            )
    for rule in policy.rules:
        where = f"rules.{rule.code}"
        c = rule.when
        if isinstance(c, Count) and c.at_least > c.periods:
            zh = f"at_least（{c.at_least}）不能大于 periods（{c.periods}）：近 {c.periods} 个月里不可能有 {c.at_least} 个月"
            add(f"{where}.when.at_least", zh, "at_least cannot exceed periods")
        if not rule.description.strip():
            add(
                f"{where}.description",
                "请在 description 写明规则依据（制度条款）",
                "state the source",
                "warning",
            )
    for table in policy.application:
        where = f"application.{table.code}"
        if policy.schemes and table.scheme and table.scheme not in policy.schemes:
            zh = f"方案 {table.scheme} 不在本政策的 schemes 列表中，这张表永远不会生效"
            add(f"{where}.scheme", zh, "the table's scheme is not among the policy's schemes")
        for grade, n in Counter(g.grade for g in table.grades).items():
            if n > 1:
                add(
                    f"{where}.grades.{grade}",
                    f"等级“{grade}”出现了 {n} 次；每个等级只写一行",
                    "duplicate grade",
                )
        for g in table.grades:
            if not (g.training or g.promotion or g.level_change or g.pay_adjustment):
                zh = "这一行没有任何应用（培训、晋升、级别、工资调整都未填写）"
                add(f"{where}.grades.{g.grade}", zh, "the row has no effect", "warning")
    if not policy.rules and not policy.application:
        add("(根)", "政策里既没有 rules 也没有 application；至少写一条", "the policy is empty")
    return issues


def parse_policy(doc: Any, *, source: str | None = None) -> Policy:
    """Validate a policy mapping; raise :class:`PolicyError` naming every bad field."""
    try:
        if not isinstance(doc, Mapping):
            raise PolicyError([_TOP])
        policy = Policy.model_validate(dict(doc))
        issues = check_policy(policy)
    except ValidationError as exc:
        found = [
            Issue("error", _path(tuple(e["loc"]), doc), _message(e), str(e["msg"]))
            for e in exc.errors()
        ]
        raise PolicyError(found, source=source) from None
    except PolicyError as exc:
        raise PolicyError(exc.issues, source=source) from None
    if any(i.level == "error" for i in issues):
        raise PolicyError(issues, source=source)
    return policy


_TOP = Issue(
    "error", "(根)", "政策文件的顶层必须是映射（code: …, name: …）", "top level must be a mapping"
)


def load_policy(src: str | Path | Mapping[str, Any]) -> Policy:
    """A policy from a path, YAML / JSON text or a mapping."""
    if not isinstance(src, str | Path):
        return parse_policy(src)
    is_path = isinstance(src, Path) or (
        "\n" not in src and src.endswith((".yaml", ".yml", ".json"))
    )
    source = str(src) if is_path else None
    try:
        doc = load_document(Path(src) if is_path else str(src), name=source or "政策")
    except UnreadableFile as exc:
        missing = is_path and not Path(src).is_file()
        zh = f"找不到政策文件 {src}" if missing else f"政策文件 {src}：{exc.reason}"
        raise PolicyError([Issue("error", "(文件)", zh, exc.reason_en)], source=source) from None
    except DocumentError as exc:
        where = exc.position
        zh = f"YAML/JSON 格式错误{('（' + where + '）') if where else ''}：{exc.reason}"
        raise PolicyError(
            [Issue("error", where or "(文件)", zh, exc.reason_en)], source=source
        ) from None
    return parse_policy(doc, source=source)


def policy_json_schema() -> dict[str, Any]:
    return Policy.model_json_schema(by_alias=True)
