"""The document model: one immutable text, layers of annotations that point into it by offset.

As in spaCy, a :class:`Document` owns the text and every annotation is a view by character offsets
``[start, end)`` into it; nothing copies the text except for display. The JSON form is the output
contract ``lagebild/1`` of DESIGN.md (fields may be added, none removed).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable

from lagebild.errors import DocError

SCHEMA = "lagebild/1"

REMOVED_KINDS = ("advert", "navigation", "teaser", "footer", "boilerplate")
GENRES = ("news", "opinion", "interview", "press_release", "advert", "other")
ACTOR_KINDS = ("state", "person", "organisation", "group", "place")
QUOTE_KINDS = ("direct", "indirect", "partial", "scare")
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)



def normalise_text(text: str) -> str:
    """NFC, whitespace runs collapsed, trimmed: the form the document id is computed from.

    ``str.split()`` splits at the characters ``\\s`` matches (both use Unicode's whitespace
    test), so this equals ``re.sub(r"\\s+", " ", text).strip()`` at less than half the cost."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def document_id(text: str) -> str:
    """sha256 (hex) of the normalised text: the same article gets the same id wherever it came from."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- layer items


@dataclass(frozen=True, slots=True)
class Actor:
    """A knowledge-base entry (or an unknown named actor with ``id`` None)."""

    name: str
    kind: str
    id: str | None = None
    country: str | None = None
    sector: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "kind": self.kind}
        if self.country is not None:
            out["country"] = self.country
        if self.sector is not None:
            out["sector"] = self.sector
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Actor":
        return cls(name=d["name"], kind=d["kind"], id=d.get("id"), country=d.get("country"),
                   sector=d.get("sector"))

    @property
    def key(self) -> str:
        """A stable key for grouping: the QID, else kind + name."""
        return self.id or f"{self.kind}:{self.name}"


@dataclass(frozen=True, slots=True)
class Span:
    """A view on ``[start, end)`` of a document's text."""

    start: int
    end: int

    def text_of(self, text: str) -> str:
        return text[self.start:self.end]


@dataclass(slots=True)
class Sentence:
    start: int
    end: int


@dataclass(slots=True)
class Token:
    start: int
    end: int
    tag: str = ""     # STTS (German) or simple UPOS-like tag
    lemma: str = ""


@dataclass(slots=True)
class Mention:
    """An actor mention. ``role`` says how the words refer: name, title, metonym, adjective,
    sector, coref (resolved from an earlier mention) or place (a location, not an actor)."""

    start: int
    end: int
    actor: Actor | None
    role: str = "name"
    confidence: float = 1.0
    members: tuple[Actor, ...] = ()   # for group references such as "beide Staatschefs"

    def to_dict(self, text: str) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "text": text[self.start:self.end],
                               "actor": self.actor.to_dict() if self.actor else None, "role": self.role}
        if self.members:
            out["members"] = [a.to_dict() for a in self.members]
        if self.confidence != 1.0:
            out["confidence"] = round(self.confidence, 3)
        return out


@dataclass(slots=True)
class Speaker:
    start: int | None
    end: int | None
    actor: Actor | None = None
    members: tuple[Actor, ...] = ()

    def to_dict(self, text: str) -> dict[str, Any]:
        span_text = text[self.start:self.end] if self.start is not None and self.end is not None else None
        out: dict[str, Any] = {"text": span_text, "start": self.start, "end": self.end,
                               "actor": self.actor.to_dict() if self.actor else None}
        if self.members:
            out["members"] = [a.to_dict() for a in self.members]
        return out


@dataclass(slots=True)
class Quote:
    start: int
    end: int
    kind: str
    speaker: Speaker | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None

    def to_dict(self, text: str) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "text": text[self.start:self.end],
                               "kind": self.kind,
                               "speaker": self.speaker.to_dict(text) if self.speaker else None,
                               "cue": self.cue}
        if self.cue_start is not None:
            out["cue_start"], out["cue_end"] = self.cue_start, self.cue_end
        return out


@dataclass(slots=True)
class Location:
    name: str
    id: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "id": self.id, "country": self.country}


@dataclass(slots=True)
class Event:
    type: str
    source: list[Actor]
    target: list[Actor]
    trigger: Span
    sentence: Span
    mode: str | None = None
    date: str | None = None
    location: Location | None = None
    negated: bool = False
    hypothetical: bool = False
    confidence: float = 0.5

    def to_dict(self, text: str) -> dict[str, Any]:
        return {
            "type": self.type, "mode": self.mode,
            "source": [a.to_dict() for a in self.source],
            "target": [a.to_dict() for a in self.target],
            "trigger": {"start": self.trigger.start, "end": self.trigger.end,
                        "text": self.trigger.text_of(text)},
            "sentence": {"start": self.sentence.start, "end": self.sentence.end},
            "date": self.date,
            "location": self.location.to_dict() if self.location else None,
            "negated": self.negated, "hypothetical": self.hypothetical,
            "confidence": round(self.confidence, 3),
        }


@dataclass(slots=True)
class Framing:
    start: int
    end: int
    technique: str
    confidence: float = 1.0

    def to_dict(self, text: str) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": text[self.start:self.end],
                "technique": self.technique, "confidence": round(self.confidence, 3)}


@dataclass(frozen=True, slots=True)
class Removed:
    """A block taken out of the page (advert, navigation, ...), kept so nothing is silently lost."""

    text: str
    kind: str
    position: int | None = None   # line number in a text dump, when known

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "kind": self.kind}
        if self.position is not None:
            out["position"] = self.position
        return out


@dataclass(slots=True)
class Source:
    uri: str
    format: str
    record: str | None = None     # id or offset of the record inside a WARC / JSONL file

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"uri": self.uri, "format": self.format}
        if self.record is not None:
            out["record"] = self.record
        return out


@dataclass(slots=True)
class Meta:
    """What extraction learned about the page besides its text."""

    title: str | None = None
    published: str | None = None
    site: str | None = None
    author: str | None = None
    section: str | None = None
    url: str | None = None


# --------------------------------------------------------------------------- the document

#: Names of the layers a stage may require or add, and what each holds.
LAYERS = {
    "text": "the clean article text and the removed blocks (added by extraction)",
    "language": "ISO 639-1 language code in doc.language",
    "sentences": "list[Sentence] in doc.layers['sentences']",
    "tokens": "list[Token] in doc.layers['tokens']",
    "mentions": "list[Mention] in doc.mentions",
    "coref": "mentions resolved to earlier actors / office holders (updates doc.mentions)",
    "quotes": "list[Quote] in doc.quotes",
    "events": "list[Event] in doc.events",
    "genre": "doc.genre",
    "tone": "doc.tone (dict: score, positive, negative, sentences)",
    "framing": "list[Framing] in doc.framing",
}


class Document:
    """One article: an immutable ``text`` plus annotation layers that point into it."""

    __slots__ = ("_text", "id", "source", "meta", "language", "genre", "tone", "removed",
                 "mentions", "quotes", "events", "framing", "errors", "layers", "done")

    def __init__(self, text: str, source: Source, meta: Meta | None = None,
                 removed: Iterable[Removed] = (), language: str | None = None,
                 doc_id: str | None = None) -> None:
        self._text = text
        self.id = doc_id or document_id(text)
        self.source = source
        self.meta = meta or Meta()
        self.language = language
        self.genre: str | None = None
        self.tone: dict[str, Any] | None = None
        self.removed: list[Removed] = list(removed)
        self.mentions: list[Mention] = []
        self.quotes: list[Quote] = []
        self.events: list[Event] = []
        self.framing: list[Framing] = []
        self.errors: list[DocError] = []
        self.layers: dict[str, Any] = {}
        self.done: list[str] = []   # names of the stages that ran on this document

    @property
    def text(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"Document(id={self.id[:12]}…, chars={len(self._text)}, source={self.source.uri!r})"

    def span(self, start: int, end: int) -> str:
        return self._text[start:end]

    @property
    def sentences(self) -> list[Sentence]:
        return self.layers.get("sentences", [])

    def to_dict(self) -> dict[str, Any]:
        """The contract JSON object (``lagebild/1``)."""
        t = self._text
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "id": self.id,
            "source": self.source.to_dict(),
            "title": self.meta.title,
            "published": self.meta.published,
            "site": self.meta.site,
            "author": self.meta.author,
            "section": self.meta.section,
            "url": self.meta.url,
            "language": self.language,
            "genre": self.genre,
            "tone": self.tone,
            "text": t,
            "removed": [r.to_dict() for r in self.removed],
            "sentences": [{"start": s.start, "end": s.end} for s in self.sentences],
            "mentions": [m.to_dict(t) for m in self.mentions],
            "quotes": [q.to_dict(t) for q in self.quotes],
            "events": [e.to_dict(t) for e in self.events],
            "framing": [f.to_dict(t) for f in self.framing],
            "stages": list(self.done),
            "errors": [e.to_dict() for e in self.errors],
        }
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Document":
        """Rebuild a document from its contract JSON (layers included)."""
        src = d.get("source") or {}
        doc = cls(d.get("text", ""), Source(src.get("uri", ""), src.get("format", "text"), src.get("record")),
                  Meta(title=d.get("title"), published=d.get("published"), site=d.get("site"),
                       author=d.get("author"), section=d.get("section"), url=d.get("url")),
                  removed=[Removed(r["text"], r["kind"], r.get("position")) for r in d.get("removed", [])],
                  language=d.get("language"), doc_id=d.get("id"))
        doc.genre = d.get("genre")
        doc.tone = d.get("tone")
        if d.get("sentences"):
            doc.layers["sentences"] = [Sentence(s["start"], s["end"]) for s in d["sentences"]]
        for m in d.get("mentions", []):
            doc.mentions.append(Mention(m["start"], m["end"],
                                        Actor.from_dict(m["actor"]) if m.get("actor") else None,
                                        m.get("role", "name"), m.get("confidence", 1.0),
                                        tuple(Actor.from_dict(a) for a in m.get("members", []))))
        for q in d.get("quotes", []):
            sp = q.get("speaker")
            speaker = None
            if sp:
                speaker = Speaker(sp.get("start"), sp.get("end"),
                                  Actor.from_dict(sp["actor"]) if sp.get("actor") else None,
                                  tuple(Actor.from_dict(a) for a in sp.get("members", [])))
            doc.quotes.append(Quote(q["start"], q["end"], q["kind"], speaker, q.get("cue"),
                                    q.get("cue_start"), q.get("cue_end")))
        for e in d.get("events", []):
            loc = e.get("location")
            doc.events.append(Event(
                type=e["type"], mode=e.get("mode"),
                source=[Actor.from_dict(a) for a in e.get("source", [])],
                target=[Actor.from_dict(a) for a in e.get("target", [])],
                trigger=Span(e["trigger"]["start"], e["trigger"]["end"]),
                sentence=Span(e["sentence"]["start"], e["sentence"]["end"]),
                date=e.get("date"),
                location=Location(loc["name"], loc.get("id"), loc.get("country")) if loc else None,
                negated=e.get("negated", False), hypothetical=e.get("hypothetical", False),
                confidence=e.get("confidence", 0.5)))
        for f in d.get("framing", []):
            doc.framing.append(Framing(f["start"], f["end"], f["technique"], f.get("confidence", 1.0)))
        doc.errors = [DocError(e["stage"], e["code"], e["message"]) for e in d.get("errors", [])]
        doc.done = list(d.get("stages", []))
        return doc


@dataclass(slots=True)
class Failure:
    """A page that could not become a document (unreadable, empty, no article text)."""

    source: Source
    errors: list[DocError] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "id": None, "source": self.source.to_dict(),
                "errors": [e.to_dict() for e in self.errors]}
