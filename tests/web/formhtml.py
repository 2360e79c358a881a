"""Read forms out of a rendered page: what each field holds and the message next to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"input", "br", "img", "meta", "link", "hr", "col", "source", "area", "base", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.walk()
            if (tag is None or n.tag == tag)
            and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    b = _Builder()
    b.feed(html)
    return b.root


def forms(html: str, action: str) -> list[Node]:
    return parse(html).find_all("form", action=action)


def the_form(html: str, action: str, **hidden: str) -> Node:
    """The one form posting to ``action`` (with these hidden values, when several do)."""
    found = [
        f
        for f in forms(html, action)
        if all(
            any(i.attrs.get("value") == v for i in f.find_all("input", name=k))
            for k, v in hidden.items()
        )
    ]
    assert len(found) == 1, f"{len(found)} forms post to {action} {hidden}"
    return found[0]


def value(form: Node, name: str) -> str | list[str]:
    """What the field shows: an input's value, a textarea's text, a select's chosen option,
    the checked boxes of a group."""
    nodes = [n for n in form.walk() if n.attrs.get("name") == name]
    assert nodes, f"no field {name}"
    n = nodes[0]
    if n.tag == "textarea":
        return n.text()
    if n.tag == "select":
        chosen = [o for o in n.find_all("option") if "selected" in o.attrs]
        return (chosen[0].attrs.get("value", chosen[0].text())) if chosen else ""
    if n.attrs.get("type") == "checkbox":
        return [c.attrs["value"] for c in nodes if "checked" in c.attrs]
    return n.attrs.get("value", "")


def field_error(form: Node, name: str) -> str:
    """The message next to field ``name`` — the input points at it (``aria-describedby``)."""
    field_node = next(n for n in form.walk() if n.attrs.get("name") == name)
    ref = field_node.attrs.get("aria-describedby", "")
    assert field_node.attrs.get("aria-invalid") == "true", f"{name} is not marked invalid"
    spans = form.find_all("span", id=ref)
    assert ref and spans, f"{name}: no message tied to the field"
    return spans[0].text()


def form_error(form: Node) -> str:
    boxes = [n for n in form.walk() if "form-error" in n.attrs.get("class", "").split()]
    return " ".join(b.text() for b in boxes)


def page_errors(html: str) -> str:
    """Every error message on the page (in forms and at the top)."""
    root = parse(html)
    classes = {"field-error", "form-error"}
    return " ".join(
        n.text() for n in root.walk() if classes & set(n.attrs.get("class", "").split())
    )
