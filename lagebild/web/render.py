"""Turn a document's layers into escaped, marked-up HTML of its text.

Layers overlap freely (a mention inside a quote inside a framing span), so the text is cut at every
annotation boundary and each piece becomes one flat element carrying the classes and hover titles
of everything covering it — no nesting to get wrong. Every piece of text goes through ``escape``:
pages are hostile input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

from lagebild.api.relations import polarity

N_COLOURS = 12


def colour(key: str | None) -> int:
    """A stable colour class index for an actor key."""
    if not key:
        return 0
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:6], 16) % N_COLOURS


def actor_key(actor: dict[str, Any] | None) -> str | None:
    """The store's grouping key (QID, else kind:name) — the same as ``Actor.key``."""
    if not actor:
        return None
    return actor.get("id") or f"{actor.get('kind')}:{actor.get('name')}"


def actor_href(key: str | None) -> str | None:
    return f"/actor/{quote(key, safe='')}" if key else None


def safe_href(url: Any) -> str | None:
    """Only http(s) links from content become hrefs; ``javascript:``, ``data:`` and the rest do not."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c in url for c in "\r\n\t\x00 "):
        return url
    return None


@dataclass(slots=True)
class Mark:
    start: int
    end: int
    cls: str
    title: str
    href: str | None = None
    anchor: str | None = None


def _actor_label(a: dict[str, Any] | None) -> str:
    if not a:
        return "unknown"
    bits = [a.get("kind"), a.get("country")]
    extra = ", ".join(b for b in bits if b)
    return f"{a.get('name')} ({extra})" if extra else str(a.get("name"))


def marks_of(doc: dict[str, Any]) -> list[Mark]:
    """Every annotation of the contract JSON as a mark on the text."""
    out: list[Mark] = []
    for i, m in enumerate(doc.get("mentions") or []):
        a = m.get("actor")
        key = actor_key(a)
        role = m.get("role") or "name"
        if role == "place" or not a:
            out.append(Mark(m["start"], m["end"], "m m-place", f"place: {m.get('text')}" if role == "place"
                            else "unresolved mention"))
            continue
        out.append(Mark(m["start"], m["end"], f"m c{colour(key)}", f"{_actor_label(a)} — {role}",
                        href=actor_href(key), anchor=f"m{i}"))
    for i, q in enumerate(doc.get("quotes") or []):
        sp = q.get("speaker") or {}
        who = _actor_label(sp.get("actor")) if sp.get("actor") else (sp.get("text") or "unknown speaker")
        out.append(Mark(q["start"], q["end"], f"q q-{q.get('kind') or 'direct'}",
                        f"{q.get('kind') or 'quote'} quote — speaker: {who}", anchor=f"q{i}"))
        if sp.get("start") is not None and sp.get("end") is not None:
            out.append(Mark(sp["start"], sp["end"], "sp", f"speaker of quote {i + 1}: {who}"))
    for i, e in enumerate(doc.get("events") or []):
        t = e.get("trigger") or {}
        if t.get("start") is None:
            continue
        src = ", ".join(str(a.get("name")) for a in e.get("source") or []) or "?"
        tgt = ", ".join(str(a.get("name")) for a in e.get("target") or []) or "?"
        flags = " (negated)" if e.get("negated") else (" (hypothetical)" if e.get("hypothetical") else "")
        out.append(Mark(t["start"], t["end"], f"ev ev-{polarity(str(e.get('type')))}",
                        f"{e.get('type')}{flags}: {src} → {tgt}", anchor=f"e{i}"))
    for f in doc.get("framing") or []:
        out.append(Mark(f["start"], f["end"], "fr", f"framing: {str(f.get('technique', '')).replace('_', ' ')}"))
    return out


def render_text(doc: dict[str, Any]) -> Markup:
    """The article text as HTML with every layer marked; safe to insert into a page."""
    text: str = doc.get("text") or ""
    n = len(text)
    marks = [m for m in marks_of(doc) if 0 <= m.start < m.end <= n]
    cuts = sorted({0, n, *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    parts: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [m for m in active if m.end > a] + starts.get(a, [])
        piece = escape(text[a:b])
        if not active:
            parts.append(str(piece))
            continue
        cls = " ".join(dict.fromkeys(m.cls for m in active))
        title = "\n".join(dict.fromkeys(m.title for m in active))
        anchors = [m.anchor for m in active if m.anchor and m.start == a]
        id_attr = f' id="{escape(anchors[0])}"' if anchors else ""
        href = next((m.href for m in active if m.href), None)
        if href:
            parts.append(f'<a{id_attr} class="{escape(cls)}" href="{escape(href)}" title="{escape(title)}">{piece}</a>')
        else:
            parts.append(f'<span{id_attr} class="{escape(cls)}" title="{escape(title)}">{piece}</span>')
    return Markup("".join(parts))


def legend(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The actors of a document with their colour class and mention count, most mentioned first."""
    seen: dict[str, dict[str, Any]] = {}
    for m in doc.get("mentions") or []:
        a = m.get("actor")
        if not a or m.get("role") == "place":
            continue
        key = actor_key(a)
        assert key is not None
        row = seen.setdefault(key, {"key": key, "name": a.get("name"), "kind": a.get("kind"),
                                    "country": a.get("country"), "colour": colour(key),
                                    "href": actor_href(key), "n": 0})
        row["n"] += 1
    return sorted(seen.values(), key=lambda r: (-r["n"], str(r["name"])))
