"""Readable terminal summaries of documents (rich), growing with the layers that exist."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from lagebild.document import Document, Failure


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def render_failure(console: Console, failure: Failure) -> None:
    where = failure.source.uri + (f" [{failure.source.record}]" if failure.source.record else "")
    for e in failure.errors:
        console.print(f"[red]✗[/] {escape(where)}: {escape('[' + e.code + '] ' + e.message)}", highlight=False)


def render_document(console: Console, doc: Document) -> None:
    t = doc.text
    m = doc.meta
    head = [f"[bold]{escape(m.title or '(no title)')}[/]",
            f"id {doc.id[:16]}…  source {escape(doc.source.uri)}" + (f" [{escape(doc.source.record)}]" if doc.source.record else ""),
            f"published {m.published or '?'}  language {doc.language or '?'}  genre {doc.genre or '?'}"
            + (f"  site {escape(m.site)}" if m.site else "")
            + (f"  tone {doc.tone['score']:+.1f}" if isinstance(doc.tone, dict) and "score" in doc.tone else "")]
    kept_lines = t.count("\n") + 1 if t else 0
    lines = [f"kept: {len(t)} characters, {kept_lines} lines"]
    if doc.removed:
        kinds = Counter(r.kind for r in doc.removed)
        lines.append("removed: " + ", ".join(f"{n} {k}" for k, n in kinds.most_common()))
        for r in doc.removed[:8]:
            lines.append(f"   [dim]{r.kind:<11}[/] {escape(_short(r.text, 70))}")
        if len(doc.removed) > 8:
            lines.append(f"   [dim]… {len(doc.removed) - 8} more[/]")
    if doc.mentions:
        actors = Counter((mm.actor.name, mm.actor.kind, mm.actor.country or "")
                         for mm in doc.mentions if mm.actor and mm.role != "place")
        lines.append("actors: " + ", ".join(f"{escape(n)} ({k}{', ' + c if c else ''}) ×{cnt}"
                                            for (n, k, c), cnt in actors.most_common(15)))
    for q in doc.quotes[:10]:
        who = "—"
        if q.speaker and q.speaker.actor:
            who = q.speaker.actor.name
        elif q.speaker and q.speaker.start is not None:
            who = t[q.speaker.start:q.speaker.end]
        lines.append(f"quote {escape('[' + q.kind + ']')} {escape(who)}: “{escape(_short(t[q.start:q.end], 80))}”")
    for e in doc.events[:12]:
        src = "+".join(a.country or a.name for a in e.source) or "?"
        tgt = "+".join(a.country or a.name for a in e.target) or "?"
        flags = "".join([" negated" if e.negated else "", " hypothetical" if e.hypothetical else ""])
        where = f" in {e.location.name}" if e.location else ""
        lines.append(f"event {e.type}{'/' + e.mode if e.mode else ''} {escape(src)} → {escape(tgt)}"
                     f" ({e.date or '?'}{escape(where)}){flags}: “{escape(t[e.trigger.start:e.trigger.end])}”")
    if doc.framing:
        techniques = Counter(f.technique for f in doc.framing)
        lines.append("framing: " + ", ".join(f"{k} ×{n}" for k, n in techniques.most_common()))
        for f in doc.framing[:6]:
            lines.append(f"   [dim]{f.technique:<18}[/] {escape(_short(t[f.start:f.end], 70))}")
    for e in doc.errors:
        lines.append(f"[red]error[/] {e.stage}: {escape('[' + e.code + '] ' + e.message)}")
    console.print(Panel("\n".join(head + [""] + lines), expand=False), highlight=False)
