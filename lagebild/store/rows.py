"""Document -> table rows: one builder shared by every store backend (DuckDB, PostgreSQL, Parquet)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lagebild.document import Actor, Document, Failure, Source
from lagebild.errors import Code, DocError, LagebildError

#: column order of each table, as in schema.sql
COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "uri", "format", "record", "url", "title", "published", "site", "author", "section",
                  "language", "genre", "tone", "text", "n_chars", "n_removed", "n_mentions", "n_quotes",
                  "n_events", "n_framing", "stages", "json", "ingested_at"),
    "removed": ("doc_id", "idx", "kind", "position", "text"),
    "mentions": ("doc_id", "idx", "start_char", "end_char", "text", "role", "actor_key", "actor_id", "name",
                 "kind", "country", "sector"),
    "quotes": ("doc_id", "idx", "start_char", "end_char", "text", "kind", "cue", "speaker_text",
               "speaker_start", "speaker_end", "speaker_key", "speaker_id", "speaker_name", "speaker_country"),
    "quote_speakers": ("doc_id", "quote_idx", "actor_key", "actor_id", "name", "kind", "country"),
    "events": ("doc_id", "idx", "type", "mode", "trigger_start", "trigger_end", "trigger_text",
               "sentence_start", "sentence_end", "sentence_text", "date", "location_name", "location_id",
               "location_country", "negated", "hypothetical", "confidence"),
    "event_actors": ("doc_id", "event_idx", "role", "actor_key", "actor_id", "name", "kind", "country", "sector"),
    "framing": ("doc_id", "idx", "start_char", "end_char", "text", "technique", "confidence"),
    "errors": ("uri", "record", "stage", "code", "message", "doc_id", "logged_at"),
    "sources": ("uri", "record", "content_hash", "doc_id", "status", "seen_at"),
}

#: tables whose rows belong to one document (deleted and rewritten together)
DOCUMENT_TABLES = ("documents", "removed", "mentions", "quotes", "quote_speakers", "events", "event_actors",
                   "framing")


def _actor_cols(a: Actor | None) -> tuple[Any, ...]:
    if a is None:
        return (None, None, None, None, None)
    return (a.key, a.id, a.name, a.kind, a.country)


def document_rows(doc: Document, now: str) -> dict[str, list[tuple[Any, ...]]]:
    """All rows one document contributes, by table."""
    d = doc.to_dict()
    t = doc.text
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in DOCUMENT_TABLES}
    tone = doc.tone.get("score") if isinstance(doc.tone, dict) else None
    rows["documents"].append((
        doc.id, doc.source.uri, doc.source.format, doc.source.record or "", doc.meta.url, doc.meta.title,
        doc.meta.published, doc.meta.site, doc.meta.author, doc.meta.section, doc.language, doc.genre, tone,
        t, len(t), len(doc.removed), len(doc.mentions), len(doc.quotes), len(doc.events), len(doc.framing),
        ",".join(doc.done), json.dumps(d, ensure_ascii=False), now,
    ))
    rows["removed"] = [(doc.id, i, r.kind, r.position, r.text) for i, r in enumerate(doc.removed)]
    rows["mentions"] = [
        (doc.id, i, m.start, m.end, t[m.start:m.end], m.role, *_actor_cols(m.actor)[:3],
         m.actor.kind if m.actor else None, m.actor.country if m.actor else None,
         m.actor.sector if m.actor else None)
        for i, m in enumerate(doc.mentions)
    ]
    for i, q in enumerate(doc.quotes):
        sp = q.speaker
        sp_actor = sp.actor if sp else None
        rows["quotes"].append((
            doc.id, i, q.start, q.end, t[q.start:q.end], q.kind, q.cue,
            t[sp.start:sp.end] if sp and sp.start is not None and sp.end is not None else None,
            sp.start if sp else None, sp.end if sp else None,
            sp_actor.key if sp_actor else None, sp_actor.id if sp_actor else None,
            sp_actor.name if sp_actor else None, sp_actor.country if sp_actor else None,
        ))
        if sp:
            actors = {a.key: a for a in ((sp_actor,) if sp_actor else ()) + tuple(sp.members)}
            for key, a in actors.items():
                rows["quote_speakers"].append((doc.id, i, key, a.id, a.name, a.kind, a.country))
    for i, e in enumerate(doc.events):
        rows["events"].append((
            doc.id, i, e.type, e.mode, e.trigger.start, e.trigger.end, t[e.trigger.start:e.trigger.end],
            e.sentence.start, e.sentence.end, t[e.sentence.start:e.sentence.end], e.date,
            e.location.name if e.location else None, e.location.id if e.location else None,
            e.location.country if e.location else None, e.negated, e.hypothetical, float(e.confidence),
        ))
        for role, actors in (("source", e.source), ("target", e.target)):
            for a in {a.key: a for a in actors}.values():
                rows["event_actors"].append((doc.id, i, role, a.key, a.id, a.name, a.kind, a.country, a.sector))
    rows["framing"] = [(doc.id, i, f.start, f.end, t[f.start:f.end], f.technique, float(f.confidence))
                       for i, f in enumerate(doc.framing)]
    return rows


@dataclass(slots=True)
class DocumentRows:
    """A document already turned into its table rows where it was analysed (this process, or a
    pool worker).

    With a pool, the process that writes the store then neither unpickles the document's object
    graph nor builds rows and JSON itself: with two workers on two cores, every CPU second that
    process spends is taken from a worker. ``ingested_at`` is left empty until :meth:`stamped`.
    """

    id: str
    source: Source
    errors: list[DocError]
    rows: dict[str, list[tuple[Any, ...]]]

    @classmethod
    def of(cls, doc: Document) -> "DocumentRows":
        return cls(doc.id, doc.source, doc.errors, document_rows(doc, now=""))

    def stamped(self, now: str) -> dict[str, list[tuple[Any, ...]]]:
        """The rows with the store's write time as ``documents.ingested_at`` (the last column)."""
        return {**self.rows, "documents": [r[:-1] + (now,) for r in self.rows["documents"]]}


def stored_form(result: Document | Failure) -> DocumentRows | Failure:
    """What ingest hands to the store: a document as its rows, or a failure. A document whose rows
    cannot be built (a bug, not bad input) fails alone with E901; the batch goes on."""
    if isinstance(result, Failure):
        return result
    try:
        return DocumentRows.of(result)
    except Exception as exc:  # noqa: BLE001 - one document must not end an ingest
        error = LagebildError(Code.E901, detail=f"{type(exc).__name__}: {exc}"[:300])
        return Failure(result.source, [*result.errors, DocError.from_exception("store", error)])


def rows_of(result: Document | DocumentRows, now: str) -> dict[str, list[tuple[Any, ...]]]:
    """All rows of a stored document, whether it comes as a document or as rows already."""
    return result.stamped(now) if isinstance(result, DocumentRows) else document_rows(result, now)


def error_rows(result: Document | DocumentRows | Failure, now: str) -> list[tuple[Any, ...]]:
    doc_id = None if isinstance(result, Failure) else result.id
    src = result.source
    return [(src.uri, src.record or "", e.stage, e.code, e.message, doc_id, now) for e in result.errors]
