"""The catalogue of lagebild error codes.

Every error a user can see carries a stable code (like spaCy's ``E001``), so that a message can be
looked up, grepped in logs and counted in the ``errors`` table. Codes are grouped by where the
failure happens: 1xx reading input, 2xx extraction, 3xx annotation, 4xx pipeline configuration,
5xx storage, 6xx network, 9xx internal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Code(str, Enum):
    """Stable error codes with their message template."""

    # reading input
    E101 = "file not found: {path}"
    E102 = "empty input: {detail}"
    E103 = "binary input, not text, HTML, WARC or JSON Lines: {detail}"
    E104 = "truncated or corrupt gzip stream: {detail}"
    E105 = "truncated or corrupt WARC: {detail}"
    E106 = "malformed JSON line {line}: {detail}"
    E107 = "JSON record without 'text' or 'html' (line {line})"
    E108 = "input too large: {size} bytes (limit {limit})"
    E109 = "undecodable text: {detail}"
    E110 = "unknown input format {fmt!r}"
    E111 = "cannot read {path}: {detail}"
    # extraction
    E201 = "no article text found: {detail}"
    E202 = "HTML could not be parsed: {detail}"
    # annotation
    E301 = "stage {stage!r} failed: {detail}"
    # pipeline configuration
    E401 = "unknown stage {name!r}; known stages: {known}"
    E402 = "stage {name!r} needs {missing} which no earlier stage adds (add {providers} before it)"
    E403 = "stage {name!r} is listed twice"
    # storage
    E501 = "cannot open database {url}: {detail}"
    E502 = "no document with id {doc_id!r}"
    E503 = "database error: {detail}"
    # network
    E601 = "URL scheme not allowed: {url} (only http and https)"
    E602 = "refusing private, loopback or link-local address {host} ({ip}); use --allow-private"
    E603 = "fetch failed for {url}: {detail}"
    E604 = "response too large for {url}: more than {limit} bytes"
    E605 = "too many redirects for {url}"
    # internal
    E901 = "internal error: {detail}"
    E902 = "a worker process died while processing this page ({detail}); the other pages go on"


class LagebildError(Exception):
    """An error with a catalogue code; ``str(err)`` is the one-line user message."""

    def __init__(self, code: Code, **fields: object) -> None:
        self.code = code
        self.fields = fields
        try:
            message = code.value.format(**fields)
        except (KeyError, IndexError):
            message = code.value
        super().__init__(f"[{code.name}] {message}")
        self.message = message


class ConfigError(LagebildError):
    """A pipeline or settings problem: the user asked for something that cannot run."""


@dataclass(frozen=True, slots=True)
class DocError:
    """One failure recorded on a document: which stage, which code, what went wrong."""

    stage: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"stage": self.stage, "code": self.code, "message": self.message}

    @classmethod
    def from_exception(cls, stage: str, exc: BaseException) -> "DocError":
        if isinstance(exc, LagebildError):
            return cls(stage, exc.code.name, exc.message)
        detail = f"{type(exc).__name__}: {exc}".strip()
        return cls(stage, Code.E301.name, Code.E301.value.format(stage=stage, detail=detail[:500]))
