"""The content container trafilatura's own ``BODY_XPATH`` would pick, found at half the cost.

trafilatura tries its container XPaths in order; the first that matches wins, and of its matches
the first in page order. Those expressions test an element by its tag and a few attributes
(``class``, ``id``, ``itemprop``, ``role``) with EXSLT regular expressions, which lxml runs as
Python callbacks: about 5 microseconds per element and expression, 2-3 ms on a page that reaches
this step. Pages repeat the same tag and attributes on many elements (120 candidate elements a
page, 65 distinct, on the 524 benchmark pages), so the expressions are evaluated, unchanged, on a
flat stand-in page holding each distinct (tag, attributes) once, in the order of first occurrence:
the first match there is the first occurrence of the first matching kind of element, which is the
first match on the page. The same container as evaluating on the page (tests; all 524 benchmark
pages), 2.1 -> 1.2 ms a page that needs it (240 of the 524).

Valid because every expression tests only an element's own tag and those attributes, which
:func:`_self_contained` checks on the expression text; otherwise the page itself is searched.
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree

#: the tags trafilatura's container expressions select
_TAGS = ("article", "div", "main", "section")
#: what an expression may test for the stand-in page to be exact: the element's tag and attributes
_ATTRIBUTE = re.compile(r"@([\w-]+)")
_SELF = re.compile(r"self::(\w+)")
_DESCENDANTS = re.compile(r"\.//(\*(?=\[self::)|\w+)")
_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
_CALL = re.compile(r"[\w:-]+\s*\(")
_NAME = re.compile(r"[A-Za-z_][\w:-]*")
_POSITION = re.compile(r"\[\s*(\d+)\s*\]")
_RELATIVES = ("text()", "..", "parent::", "ancestor", "child::", "following", "preceding", "@*", "node()",
              "string(", "count(", "last()", "position()", "/")


@cache
def body_xpaths() -> tuple:
    """trafilatura's content-container XPaths, in its order (the first that matches wins)."""
    try:
        from trafilatura.xpaths import BODY_XPATH
    except ImportError:  # another trafilatura layout: every page takes the whole-tree path
        return ()
    return tuple(BODY_XPATH)


@cache
def _attributes() -> tuple[str, ...] | None:
    """The attributes the expressions test, or None when an expression looks at more than an
    element's own tag and attributes (a child, a parent, text): then only the page will do."""
    names: set[str] = set()
    for expr in body_xpaths():
        if not _self_contained(expr.path):
            return None
        names.update(_ATTRIBUTE.findall(expr.path))
    return tuple(sorted(names))


def _self_contained(path: str) -> bool:
    """Whether an expression only selects descendants by tag and tests their own attributes:
    its steps are ``.//*`` or ``.//tag`` with ``self::`` tests, and it reads no text or relatives."""
    steps = _DESCENDANTS.findall(path)
    if not steps or path.count(".//") != len(steps):
        return False
    rest = _DESCENDANTS.sub("", path)   # the only path steps allowed are those ``.//`` ones
    if any(word in rest for word in _RELATIVES) or any(n != "1" for n in _POSITION.findall(rest)):
        return False   # [1] keeps the first match in page order, on the stand-in too; [2] would not
    # what is left of the predicates once literals, attributes, self:: tests and function names are
    # gone may only be the operators: any other name would test a child element
    bare = _NAME.findall(_CALL.sub("(", _SELF.sub("", _ATTRIBUTE.sub("", _LITERAL.sub("", rest)))))
    if any(word not in ("or", "and") for word in bare):
        return False
    return all(s == "*" or s in _TAGS for s in steps) and all(t in _TAGS for t in _SELF.findall(path))


def find_container(root: etree._Element) -> etree._Element | None:
    """The element trafilatura's first matching container expression selects first on the page."""
    exprs = body_xpaths()
    attrs = _attributes()
    if attrs is not None:
        try:
            return _on_stand_in(root, exprs, attrs)
        except ValueError:   # an attribute value lxml refuses to copy: search the page itself
            pass
    return _on_page(root, exprs)


def _on_page(root: etree._Element, exprs: tuple) -> etree._Element | None:
    for expr in exprs:
        found = next((el for el in expr(root) if el is not None), None)
        if found is not None:
            return found
    return None


def _on_stand_in(root: etree._Element, exprs: tuple, attrs: tuple[str, ...]) -> etree._Element | None:
    first: dict[tuple, etree._Element] = {}
    for el in root.iter(*_TAGS):
        key = (el.tag, *map(el.get, attrs))
        if key not in first:
            first[key] = el
    if not first:   # the expressions select only these tags
        return None
    page = etree.Element("html")
    body = etree.SubElement(page, "body")
    for tag, *values in first:
        etree.SubElement(body, tag, {a: v for a, v in zip(attrs, values) if v is not None})
    origin = dict(zip(body, first.values()))   # stand-in element -> its first occurrence on the page
    for expr in exprs:
        hit = next((el for el in expr(page) if el is not None), None)
        if hit is not None:
            return origin[hit]
    return None

