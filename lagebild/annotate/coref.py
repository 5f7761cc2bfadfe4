"""Stage ``coref``: later short forms and group references resolved to actors introduced earlier.

"Kim" and "Kim Jong-uns" after "Kim Jong-un", "Putin" after "Wladimir Putin" (any single name part
of a person mentioned earlier, also an unknown-name mention with that text), unknown persons'
surnames, and "beide Staatschefs" -> the two persons mentioned last (``Mention.members``). Titles
were already resolved to the office holder on the article's date by the mentions stage.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import attrgetter

from lagebild.annotate.mentions_rules import rules
from lagebild.document import Actor, Document, Mention
from lagebild.pipeline import stage
from lagebild.settings import Settings

_NAME_PART = re.compile(r"[A-ZÄÖÜ][\w'’-]+")
_WORD = re.compile(r"(?<![\w-])[^\W\d_][\w'’-]*")
_SPAN = attrgetter("start", "end")   # the sort key (start, end) without a Python call per mention
_SKIP_PARTS = frozenset({"von", "van", "der", "de", "la", "al", "bin", "ibn", "Jr", "Sr"})


@lru_cache(maxsize=None)
def group_pattern(lang: str) -> tuple[re.Pattern[str], dict[str, tuple[str, int]]] | None:
    lr = rules(lang)
    if not lr.groups:
        return None
    heads: dict[str, tuple[str, int]] = {}
    dets: set[str] = set()
    for det, nouns, kind, count in lr.groups:
        dets |= det
        for n in nouns:
            heads[n] = (kind, count)
    pat = re.compile(r"\b(?:%s)\s+(%s)\b" % ("|".join(map(re.escape, sorted(dets, key=len, reverse=True))),
                                           "|".join(map(re.escape, sorted(heads, key=len, reverse=True)))))
    return pat, heads


def short_forms(text: str, parts: dict) -> list[tuple[int, int, str]]:
    """(start, end, part) of every word that is one of ``parts``, with a genitive -s/'s allowed
    ("Putins", "Kim's"), in text order. A word is a match of the fixed pattern ``_WORD`` (a pattern
    built per document cost a regex compilation each, about 1 ms); rather than step through every
    word of the text, ``str.find`` jumps to where a part occurs and only those places are read as
    words (about 1 in 100 words), which gives the same hits as the scan of all words."""
    forms = _forms(parts)
    hits: dict[int, tuple[int, int, str]] = {}
    find = text.find
    for part in parts:
        i = find(part)
        while i >= 0:
            if i not in hits:
                hit = _form_at(text, i, forms)
                if hit is not None:
                    hits[i] = hit
            i = find(part, i + 1)
    return [hits[i] for i in sorted(hits)]


def _forms(parts: dict) -> dict[str, str]:
    """Every written form that counts as a part -> the part, with the precedence of the word test:
    the part itself, then part + 's / ’s, then part + s."""
    forms = {p: p for p in parts}
    for p in parts:
        forms.setdefault(p + "’s", p)
        forms.setdefault(p + "'s", p)
    for p in parts:
        forms.setdefault(p + "s", p)
    return forms


def _form_at(text: str, i: int, forms: dict[str, str]) -> tuple[int, int, str] | None:
    """The hit of the ``_WORD`` match that starts at ``i`` (trailing ' ’ - cut off), if a word
    starts there: ``_WORD.finditer`` finds one word per run of word characters, apostrophes and
    hyphens, so the run is searched from its start ("O'Kim" is one word, not "Kim")."""
    run = i
    while run > 0 and _in_run(text[run - 1]):
        run -= 1
    m = _WORD.search(text, run)
    if m is None or m.start() != i:
        return None
    w = m.group()
    stripped = w.rstrip("'’-")
    part = forms.get(stripped)
    return None if part is None else (i, m.end() - (len(w) - len(stripped)), part)


def _in_run(c: str) -> bool:
    """A character ``_WORD`` can read after a word's first letter: ``[\\w'’-]``."""
    return c.isalnum() or c in "_'’-"


def name_parts(name: str) -> list[str]:
    """Single-word short forms of a person's name: every capitalised part ("Kim", "Jong-un", "Putin")."""
    parts = [p for p in name.split() if p not in _SKIP_PARTS and len(p) > 2]
    return parts if len(parts) > 1 else []


class CorefStage:
    name = "coref"
    requires = ("mentions",)
    adds = ("coref",)

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        mentions = list(doc.mentions)
        covered = sorted((m.start, m.end) for m in mentions)
        # 1. short forms of persons introduced earlier
        first_seen: dict[str, tuple[int, Actor]] = {}
        for m in mentions:
            a = m.actor
            if a is not None and a.kind == "person" and m.role in ("name", "title"):
                surface = text[m.start:m.end]
                for part in name_parts(surface) + name_parts(a.name):
                    first_seen.setdefault(part, (m.start, a))
        resolved: list[Mention] = []
        if first_seen:
            by_span = {(m.start, m.end): m for m in mentions}
            for start, end, part in short_forms(text, first_seen):
                pos, actor = first_seen[part]
                if start <= pos:
                    continue
                old = by_span.get((start, end))
                if old is not None:
                    if old.actor is None or old.actor.id is None and old.actor.kind in ("person", "place", "organisation"):
                        old.actor, old.role, old.confidence = actor, "coref", 0.8
                    continue
                if _overlaps(covered, start, end):
                    continue
                resolved.append(Mention(start, end, actor, "coref", 0.8))
        mentions.extend(resolved)
        mentions.sort(key=_SPAN)
        # 2. bare titles: "der Präsident" -> the last person named who holds that office on the date
        mentions.extend(bare_titles(doc, mentions, covered))
        mentions.sort(key=_SPAN)
        # 3. group references: "beide Staatschefs"
        gp = group_pattern(doc.language if doc.language in ("de", "en") else "de")
        if gp is not None:
            pat, heads = gp
            groups = []
            for hit in pat.finditer(text):
                kind, count = heads[hit.group(1)]
                members: list[Actor] = []
                for m in reversed(mentions):
                    if m.start >= hit.start():
                        continue
                    a = m.actor
                    if a is not None and a.kind == kind and m.role != "place" and all(a.key != b.key for b in members):
                        members.append(a)
                        if len(members) == count:
                            break
                if len(members) == count and not _overlaps(covered, hit.start(), hit.end()):
                    groups.append(Mention(hit.start(), hit.end(), None, "coref", 0.7, tuple(reversed(members))))
            mentions.extend(groups)
            mentions.sort(key=_SPAN)
        doc.mentions = mentions
        return doc


def _title_pattern(lang: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    lr = rules(lang)
    if not lr.titles:
        return None
    arts = sorted(lr.articles, key=len, reverse=True)
    pat = re.compile(r"\b(?:%s)\s+(%s)\b" % ("|".join(map(re.escape, arts)),
                                            "|".join(map(re.escape, sorted(lr.titles, key=len, reverse=True)))))
    return pat, lr.titles


_TITLE_PATTERNS: dict[str, tuple[re.Pattern[str], dict[str, str]] | None] = {}


def bare_titles(doc: Document, mentions: list[Mention], covered: list[tuple[int, int]]) -> list[Mention]:
    """"der Präsident" / "the chancellor" resolved to the most recent person mentioned before it
    who holds that office (for their country) on the article's date."""
    from lagebild.kb.lookup import knowledge_base

    lang = doc.language if doc.language in ("de", "en") else "de"
    if lang not in _TITLE_PATTERNS:
        _TITLE_PATTERNS[lang] = _title_pattern(lang)
    tp = _TITLE_PATTERNS[lang]
    persons = [m for m in mentions if m.actor is not None and m.actor.kind == "person" and m.actor.id]
    if tp is None or not persons:
        return []
    kb = knowledge_base()
    date = doc.layers.get("mentions_date")
    out = []
    pat, titles = tp
    for hit in pat.finditer(doc.text):
        if _overlaps(covered, hit.start(), hit.end()):
            continue
        office = titles[hit.group(1)]
        for m in reversed(persons):
            if m.start >= hit.start():
                continue
            holder = kb.holder(m.actor.country, office, date)
            if holder is not None and holder.id == m.actor.id:
                out.append(Mention(hit.start(), hit.end(), m.actor, "coref", 0.7))
                break
    return out


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    import bisect

    i = bisect.bisect_right(spans, (start, 10**12))
    for j in (i - 1, i):
        if 0 <= j < len(spans):
            s, e = spans[j]
            if s < end and start < e:
                return True
    return False


@stage("coref", requires=["mentions"], adds=["coref"])
def make_coref(settings: Settings) -> CorefStage:
    """Resolve short forms ("Kim", "Putin") and group references ("beide Staatschefs") to earlier actors."""
    return CorefStage()
