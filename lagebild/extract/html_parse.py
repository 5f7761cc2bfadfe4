"""HTML string to lxml tree, safely: bounded depth, no crash on hostile markup.

libxml2 silently drops everything below depth 256 ("Excessive depth in document"), so a page
nested 50,000 levels deep would lose its text. When the parser reports that, the markup is
flattened (container tags beyond ``max_depth`` are removed, their text kept) and parsed again.
The tree uses lxml.html's element classes through a C-level default lookup (no per-element
Python callback), which makes every later tree walk cheaper.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction

from lagebild.errors import Code, LagebildError

#: libxml2's own nesting limit (without XML_PARSE_HUGE); deeper content is dropped by the parser.
LIBXML_DEPTH = 255
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:_-]*)([^>]*)>")
#: C0 controls other than tab, LF and CR: not allowed in XML, so lxml refuses them in text it sets.
#: Deleted from the UTF-8 bytes (they never occur inside a multi-byte sequence), as are the
#: encodings of U+FFFE and U+FFFF; bytes.translate is several times faster than a regex over the str.
_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13))
_NONCHARS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>", re.I)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: tags libxml2 closes implicitly: they never nest deeply, so they are never counted nor dropped.
_SELF_CLOSING_BLOCKS = frozenset("p li dt dd option tr td th thead tbody tfoot".split())
#: subtrees that never hold article text; removed right after parsing to make later passes cheaper.
_NEVER_TEXT = ("style", "svg", "template", "embed", "object", "canvas")
#: page furniture outside the article; main-text extraction discards it anyway.
_FURNITURE = ("nav", "footer", "aside", "menu", "button", "select", "input", "textarea")


def _lookup() -> etree.ElementDefaultClassLookup:
    return etree.ElementDefaultClassLookup(element=HtmlElement, comment=HtmlComment,
                                           pi=HtmlProcessingInstruction, entity=HtmlEntity)


def _parser(huge: bool = False) -> etree.HTMLParser:
    parser = etree.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                              remove_comments=True, remove_pis=True, huge_tree=huge)
    parser.set_element_class_lookup(_lookup())
    return parser


def flatten_markup(html: str, max_depth: int) -> str:
    """Drop opening and closing container tags nested deeper than ``max_depth``; keep all text.

    A best-effort pass over tag tokens (not a full HTML tokenizer): it only runs on pages the
    parser already found too deep, so speed and exactness matter less than never losing text.
    """
    depth = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal depth
        name = m.group(2).lower()
        if name in _VOID or name in _SELF_CLOSING_BLOCKS or m.group(3).endswith("/"):
            return m.group(0)
        if m.group(1):  # closing tag
            depth = max(0, depth - 1)
            return m.group(0) if depth < max_depth else " "
        depth += 1
        return m.group(0) if depth <= max_depth else " "

    return _TAG.sub(repl, html)


def _xml_safe_utf8(html: str) -> bytes:
    """``html`` as UTF-8 without the characters XML forbids (see ``_CONTROL_BYTES``)."""
    data = html.encode("utf-8", "surrogatepass").translate(None, _CONTROL_BYTES)
    # tested on the str: a search for b"\xef\xbf" in the bytes is slow (0xEF starts many
    # characters); the bytes hold those encodings exactly where the str holds the characters
    if "\ufffe" in html or "\uffff" in html:
        for nonchar in _NONCHARS:
            data = data.replace(nonchar, b"")
    return data


def _parse_once(html: str) -> tuple[HtmlElement | None, bool]:
    """Parse; report whether libxml2 dropped content for depth. A text node over libxml2's
    10 MB buffer limit gets a second parse in huge mode (its depth limit is then 2048)."""
    data = _xml_safe_utf8(html)
    for huge in (False, True):
        parser = _parser(huge)
        try:
            root = etree.fromstring(data, parser=parser)
        except etree.ParserError:  # "Document is empty"
            return None, False
        messages = [e.message for e in parser.error_log if "XML_PARSE_HUGE" in e.message]
        too_deep = any("Excessive depth" in m for m in messages)
        if too_deep or not messages:
            break
    return root, too_deep


def parse_html(html: str, max_depth: int = 200) -> HtmlElement:
    """Parse a decoded page. Raises E201 for an empty document, E202 when parsing fails."""
    max_depth = max(8, min(max_depth, LIBXML_DEPTH - 5))
    if "<!" in html[:512]:  # libxml2 trips over some doctypes (lxml bug 1955915)
        html = _DOCTYPE.sub("", html, count=1)
    try:
        root, too_deep = _parse_once(html)
        for limit in (max_depth, 16):
            if not too_deep:
                break
            root, too_deep = _parse_once(flatten_markup(html, limit))
        if too_deep:
            raise LagebildError(Code.E202, detail="nesting too deep even after flattening")
    except (etree.LxmlError, ValueError, RecursionError, MemoryError) as err:
        raise LagebildError(Code.E202, detail=f"{type(err).__name__}: {str(err)[:200]}") from None
    if root is None or len(root) == 0:
        raise LagebildError(Code.E201, detail="the page is empty")
    return root


def drop_non_text(root: HtmlElement) -> None:
    """Remove style, svg, iframes and other subtrees that never carry article text, and scripts
    other than JSON-LD (which the fallback extractors may use)."""
    etree.strip_elements(root, *_NEVER_TEXT, with_tail=False)
    for script in list(root.iter("script")):
        if (script.get("type") or "").lower() != "application/ld+json":
            parent = script.getparent()
            if parent is not None:
                _remove_keep_tail(script, parent)


def drop_page_furniture(root: HtmlElement) -> None:
    """Remove navigation, footers, asides and form controls (after metadata has been read)."""
    etree.strip_elements(root, *_FURNITURE, with_tail=False)


def _remove_keep_tail(elem: HtmlElement, parent: HtmlElement) -> None:
    tail = elem.tail
    if tail:
        prev = elem.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(elem)
