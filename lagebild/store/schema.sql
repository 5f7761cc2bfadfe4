-- lagebild store schema, portable between DuckDB and PostgreSQL.
-- Offsets are Python string indices into documents.text; "start_char"/"end_char" avoid the reserved word END.
-- Version 1. Migrations live in lagebild/store/migrations.py and are recorded in schema_version.

CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP);

CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,            -- sha256 of the normalised text
    uri TEXT, format TEXT, record TEXT, url TEXT,
    title TEXT, published TEXT, site TEXT, author TEXT, section TEXT,
    language TEXT, genre TEXT, tone DOUBLE PRECISION,
    text TEXT NOT NULL,
    n_chars INTEGER, n_removed INTEGER, n_mentions INTEGER, n_quotes INTEGER, n_events INTEGER, n_framing INTEGER,
    stages TEXT,
    json TEXT NOT NULL,             -- the full contract JSON (lagebild/1)
    ingested_at TIMESTAMP
);

-- every input seen (file, WARC record, JSONL line, URL): lets a re-run skip what is stored
CREATE TABLE IF NOT EXISTS sources (
    uri TEXT NOT NULL, record TEXT NOT NULL, content_hash TEXT NOT NULL,
    doc_id TEXT, status TEXT NOT NULL, seen_at TIMESTAMP,
    PRIMARY KEY (uri, record)
);

CREATE TABLE IF NOT EXISTS removed (
    doc_id TEXT NOT NULL, idx INTEGER NOT NULL, kind TEXT NOT NULL, position INTEGER, text TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx)
);

CREATE TABLE IF NOT EXISTS errors (
    uri TEXT NOT NULL, record TEXT NOT NULL, stage TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL,
    doc_id TEXT, logged_at TIMESTAMP,
    PRIMARY KEY (uri, record, stage)
);

CREATE TABLE IF NOT EXISTS mentions (
    doc_id TEXT NOT NULL, idx INTEGER NOT NULL, start_char INTEGER, end_char INTEGER, text TEXT, role TEXT,
    actor_key TEXT, actor_id TEXT, name TEXT, kind TEXT, country TEXT, sector TEXT,
    PRIMARY KEY (doc_id, idx)
);

CREATE TABLE IF NOT EXISTS quotes (
    doc_id TEXT NOT NULL, idx INTEGER NOT NULL, start_char INTEGER, end_char INTEGER, text TEXT, kind TEXT,
    cue TEXT, speaker_text TEXT, speaker_start INTEGER, speaker_end INTEGER,
    speaker_key TEXT, speaker_id TEXT, speaker_name TEXT, speaker_country TEXT,
    PRIMARY KEY (doc_id, idx)
);

-- one row per actor a quote is attributed to (the speaker, or each member of a group speaker)
CREATE TABLE IF NOT EXISTS quote_speakers (
    doc_id TEXT NOT NULL, quote_idx INTEGER NOT NULL, actor_key TEXT NOT NULL, actor_id TEXT, name TEXT,
    kind TEXT, country TEXT,
    PRIMARY KEY (doc_id, quote_idx, actor_key)
);

CREATE TABLE IF NOT EXISTS events (
    doc_id TEXT NOT NULL, idx INTEGER NOT NULL, type TEXT NOT NULL, mode TEXT,
    trigger_start INTEGER, trigger_end INTEGER, trigger_text TEXT,
    sentence_start INTEGER, sentence_end INTEGER, sentence_text TEXT,
    date TEXT, location_name TEXT, location_id TEXT, location_country TEXT,
    negated BOOLEAN, hypothetical BOOLEAN, confidence DOUBLE PRECISION,
    PRIMARY KEY (doc_id, idx)
);

CREATE TABLE IF NOT EXISTS event_actors (
    doc_id TEXT NOT NULL, event_idx INTEGER NOT NULL, role TEXT NOT NULL, actor_key TEXT NOT NULL,
    actor_id TEXT, name TEXT, kind TEXT, country TEXT, sector TEXT,
    PRIMARY KEY (doc_id, event_idx, role, actor_key)
);

CREATE TABLE IF NOT EXISTS framing (
    doc_id TEXT NOT NULL, idx INTEGER NOT NULL, start_char INTEGER, end_char INTEGER, text TEXT,
    technique TEXT, confidence DOUBLE PRECISION,
    PRIMARY KEY (doc_id, idx)
);

CREATE INDEX IF NOT EXISTS mentions_actor ON mentions (actor_key);
CREATE INDEX IF NOT EXISTS quote_speakers_actor ON quote_speakers (actor_key);
CREATE INDEX IF NOT EXISTS event_actors_actor ON event_actors (actor_key);
CREATE INDEX IF NOT EXISTS documents_published ON documents (published);
