"""Read queries behind the API and the web pages, written once for DuckDB and PostgreSQL.

Only portable SQL (``?`` placeholders, ILIKE, substr, coalesce), so both backends share one code
path. List endpoints page with opaque keyset cursors, never with OFFSET over a growing table.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Callable

from lagebild.store.base import Store

#: summary columns of a document in lists (never the text or the JSON)
DOC_COLUMNS = ("id", "title", "published", "site", "language", "genre", "url", "uri", "format",
               "n_chars", "n_removed", "n_mentions", "n_quotes", "n_events", "n_framing")


class BadCursor(ValueError):
    """A cursor that was not made by this API."""


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, n: int) -> list[Any] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCursor("invalid cursor") from exc
    if not isinstance(values, list) or len(values) != n or not all(isinstance(v, (str, int)) for v in values):
        raise BadCursor("invalid cursor")
    return values


def like_pattern(q: str) -> str:
    """A user string as an ILIKE pattern matching it anywhere (``%`` and ``_`` taken literally)."""
    esc = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


def date_filter(column: str, date_from: str | None, date_to: str | None) -> tuple[list[str], list[Any]]:
    """Clauses keeping rows whose (possibly partial) ISO date overlaps ``[date_from, date_to]``."""
    where: list[str] = []
    params: list[Any] = []
    if date_from:
        where.append(f"{column} >= substr(?, 1, length({column}))")
        params.append(date_from)
    if date_to:
        where.append(f"substr({column}, 1, length(?)) <= ?")
        params.extend([date_to, date_to])
    return where, params


@dataclass(slots=True)
class DocFilter:
    site: str | None = None
    language: str | None = None
    genre: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    actor: str | None = None
    q: str | None = None


@dataclass(slots=True)
class ListResult:
    items: list[dict[str, Any]]
    next_cursor: str | None


def list_documents(store: Store, f: DocFilter, limit: int, cursor: str | None) -> ListResult:
    """Documents newest first (by published date, then id), filtered; keyset-paginated."""
    where: list[str] = []
    params: list[Any] = []
    for col, value in (("site", f.site), ("language", f.language), ("genre", f.genre)):
        if value:
            where.append(f"{col} = ?")
            params.append(value)
    w, p = date_filter("published", f.date_from, f.date_to)
    if w:
        where += ["published IS NOT NULL"] + w
        params += p
    if f.actor:
        where.append("id IN (SELECT doc_id FROM mentions WHERE actor_key = ? UNION "
                     "SELECT doc_id FROM event_actors WHERE actor_key = ? UNION "
                     "SELECT doc_id FROM quote_speakers WHERE actor_key = ?)")
        params += [f.actor] * 3
    if f.q:
        where.append("(title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\')")
        params += [like_pattern(f.q)] * 2
    after = decode_cursor(cursor, 2)
    if after is not None:
        where.append("(coalesce(published, '') < ? OR (coalesce(published, '') = ? AND id < ?))")
        params += [after[0], after[0], after[1]]
    sql = (f"SELECT {', '.join(DOC_COLUMNS)} FROM documents"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY coalesce(published, '') DESC, id DESC LIMIT ?")
    rows = store.query(sql, params + [limit + 1])
    return _keyset(rows, limit, lambda r: [r["published"] or "", r["id"]])


def facets(store: Store) -> dict[str, list[str]]:
    """Distinct sites, languages and genres, for the search form."""
    out: dict[str, list[str]] = {}
    for col in ("site", "language", "genre"):
        rows = store.query(f"SELECT {col} AS v, count(*) AS n FROM documents WHERE {col} IS NOT NULL "
                           f"GROUP BY {col} ORDER BY n DESC LIMIT 50")
        out[col] = [r["v"] for r in rows]
    return out


# --------------------------------------------------------------------------- actors

_ACTOR_ROWS = ("SELECT actor_key, actor_id, name, kind, country, doc_id FROM mentions WHERE actor_key IS NOT NULL "
               "UNION ALL SELECT actor_key, actor_id, name, kind, country, doc_id FROM quote_speakers "
               "UNION ALL SELECT actor_key, actor_id, name, kind, country, doc_id FROM event_actors")


#: where an actor occurs, by the name of its count
_ACTOR_TABLES = (("mentions", "mentions"), ("quotes", "quote_speakers"), ("events", "event_actors"))


def list_actors(store: Store, q: str | None, kind: str | None, country: str | None, limit: int,
                cursor: str | None) -> ListResult:
    """Actors by how often they occur (mentions, quotes, events), then key; keyset-paginated."""
    where: list[str] = []
    params: list[Any] = []
    if q:
        where.append("(name ILIKE ? ESCAPE '\\' OR actor_key ILIKE ? ESCAPE '\\')")
        params += [like_pattern(q)] * 2
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if country:
        where.append("country = ?")
        params.append(country)
    inner = (f"SELECT actor_key AS key, min(actor_id) AS id, min(name) AS name, min(kind) AS kind, "
             f"min(country) AS country, count(*) AS occurrences, count(DISTINCT doc_id) AS documents "
             f"FROM ({_ACTOR_ROWS}) a" + (" WHERE " + " AND ".join(where) if where else "")
             + " GROUP BY actor_key")
    outer_where = ""
    after = decode_cursor(cursor, 2)
    if after is not None:
        outer_where = " WHERE (occurrences < ? OR (occurrences = ? AND key > ?))"
        params += [int(after[0]), int(after[0]), str(after[1])]
    sql = f"SELECT * FROM ({inner}) g{outer_where} ORDER BY occurrences DESC, key ASC LIMIT ?"
    rows = [_int_counts(r) for r in store.query(sql, params + [limit + 1])]
    return _keyset(rows, limit, lambda r: [r["occurrences"], r["key"]])


def _int_counts(row: dict[str, Any]) -> dict[str, Any]:
    for k in ("occurrences", "documents", "n", "mentions", "quotes", "events"):
        if k in row and row[k] is not None:
            row[k] = int(row[k])
    return row


def actor(store: Store, key: str) -> dict[str, Any] | None:
    """One actor: identity, totals and counts per month (by the documents' published date)."""
    rows = store.query(f"SELECT actor_key AS key, min(actor_id) AS id, min(name) AS name, min(kind) AS kind, "
                       f"min(country) AS country, count(*) AS occurrences, count(DISTINCT doc_id) AS documents "
                       f"FROM ({_ACTOR_ROWS}) a WHERE actor_key = ? GROUP BY actor_key", [key])
    if not rows:
        return None
    out = _int_counts(rows[0])
    out["counts"] = {label: int(store.query(f"SELECT count(*) AS n FROM {table} WHERE actor_key = ?", [key])[0]["n"])
                     for label, table in _ACTOR_TABLES}
    out["timeline"] = timeline(store, key)
    return out


def timeline(store: Store, key: str) -> list[dict[str, Any]]:
    """Mentions, quotes and events of an actor per month of publication."""
    by_month: dict[str, dict[str, Any]] = {}
    for label, table in _ACTOR_TABLES:
        rows = store.query(f"SELECT substr(d.published, 1, 7) AS month, count(*) AS n FROM {table} t "
                           f"JOIN documents d ON d.id = t.doc_id WHERE t.actor_key = ? AND d.published IS NOT NULL "
                           f"AND length(d.published) >= 7 GROUP BY substr(d.published, 1, 7)", [key])
        for r in rows:
            slot = by_month.setdefault(r["month"], {"month": r["month"], "mentions": 0, "quotes": 0, "events": 0})
            slot[label] = int(r["n"])
    return [by_month[m] for m in sorted(by_month)]


def _after_item(alias: str, cursor: str | None) -> tuple[str, list[Any]]:
    """The clause (and its parameters) keeping rows after a ``(doc_id, idx)`` cursor of table ``alias``."""
    after = decode_cursor(cursor, 2)
    if after is None:
        return "", []
    clause = f" AND ({alias}.doc_id > ? OR ({alias}.doc_id = ? AND {alias}.idx > ?))"
    return clause, [str(after[0]), str(after[0]), int(after[1])]


def _item_key(row: dict[str, Any]) -> list[Any]:
    return [row["doc_id"], int(row["idx"])]


def actor_quotes(store: Store, key: str, limit: int, cursor: str | None) -> ListResult:
    where, after = _after_item("q", cursor)
    params: list[Any] = [key, *after]
    rows = store.query(
        "SELECT q.doc_id, q.idx, q.text, q.kind, q.cue, q.speaker_text, q.start_char AS start, q.end_char AS \"end\", "
        "d.title, d.published, d.site FROM quote_speakers s "
        "JOIN quotes q ON q.doc_id = s.doc_id AND q.idx = s.quote_idx "
        "JOIN documents d ON d.id = q.doc_id "
        f"WHERE s.actor_key = ?{where} ORDER BY q.doc_id, q.idx LIMIT ?", params + [limit + 1])
    return _keyset(rows, limit, _item_key)


def actor_events(store: Store, key: str, limit: int, cursor: str | None) -> ListResult:
    where, after = _after_item("e", cursor)
    params: list[Any] = [key, *after]
    rows = store.query(
        "SELECT DISTINCT e.doc_id, e.idx, e.type, e.mode, e.trigger_text, e.sentence_text, e.date, "
        "e.negated, e.hypothetical, e.confidence, e.trigger_start AS start, e.trigger_end AS \"end\", "
        "d.title, d.published FROM event_actors a "
        "JOIN events e ON e.doc_id = a.doc_id AND e.idx = a.event_idx "
        "JOIN documents d ON d.id = e.doc_id "
        f"WHERE a.actor_key = ?{where} ORDER BY e.doc_id, e.idx LIMIT ?", params + [limit + 1])
    page = _keyset(rows, limit, _item_key)
    if page.items:
        _attach_event_actors(store, page.items)
    return page


def _attach_event_actors(store: Store, events: list[dict[str, Any]]) -> None:
    """Add ``source`` and ``target`` actor lists to event rows."""
    docs = sorted({e["doc_id"] for e in events})
    marks = ",".join("?" * len(docs))
    rows = store.query(f"SELECT doc_id, event_idx, role, actor_key AS key, name, kind, country FROM event_actors "
                       f"WHERE doc_id IN ({marks}) ORDER BY actor_key", docs)
    by_event: dict[tuple[str, int], dict[str, list[dict[str, Any]]]] = {}
    for r in rows:
        slot = by_event.setdefault((r["doc_id"], int(r["event_idx"])), {"source": [], "target": []})
        slot.setdefault(r["role"], []).append({k: r[k] for k in ("key", "name", "kind", "country")})
    for e in events:
        slot = by_event.get((e["doc_id"], int(e["idx"])), {})
        e["source"] = slot.get("source", [])
        e["target"] = slot.get("target", [])


def _keyset(rows: list[dict[str, Any]], limit: int, key: Callable[[dict[str, Any]], list[Any]]) -> ListResult:
    """A page from ``limit + 1`` fetched rows: the extra row only says that a next page exists."""
    if len(rows) <= limit:
        return ListResult(rows, None)
    rows = rows[:limit]
    return ListResult(rows, encode_cursor(key(rows[-1])))
