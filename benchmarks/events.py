"""Events benchmark: PLOVER gold standard records (English), our German gold set, speed.

    python benchmarks/events.py [--limit N] [--shared ../shared]

GSR with ``oracle`` actors (the gold actor spans given as mentions, roles hidden: measures event
typing and role assignment) and with our ``pipeline`` (mentions + coref stages end to end);
German set end to end. Speed: sentences per second of the events stage alone (mentions
prepared) and of the whole ``events`` preset. Writes ``benchmarks/results/events.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from lagebild.annotate.events import EventsStage
from lagebild.annotate.events_eval import load_german, load_gsr, oracle_doc, score_german, score_gsr
from lagebild.document import Document, Meta, Source
from lagebild.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
GSR = "data/events/plover/gold_standard_records/PLOVER_GSR_CAMEO.txt"
GERMAN = ROOT / "tests/gold/events_de.jsonl"


def run_pipeline(cases, stages: str = "language,sentences,mentions,coref"):
    """Documents (extraction skipped: the cases are clean sentences) through ``stages``, then the
    events stage timed apart; returns (docs, seconds spent in the events stage)."""
    pre = Pipeline.build(stages)
    stage = EventsStage()
    docs, spent = [], 0.0
    for c in cases:
        doc = pre.annotate(Document(c.text, Source(c.id, "text"), Meta(published=c.published), language=c.language))
        t = time.perf_counter()
        doc = stage(doc)
        spent += time.perf_counter() - t
        docs.append(doc)
    return docs, spent


def naive_baseline(cases, docs) -> dict:
    """Same lexicons, no structure: the first trigger's type, the first actor mention of the
    sentence as source and the second as target. Shows what clause, role, intent and complement
    handling add (with oracle actors, mention order alone is a strong cue: only gold actors exist)."""
    from lagebild.annotate.events_lexicon import lexicon
    from lagebild.annotate.events_text import view
    from lagebild.document import Event, Span

    out = []
    for c, doc in zip(cases, docs):
        base = Document(doc.text, Source(c.id, "text"), Meta(), language=c.language)
        sv = view(doc.text, 0, len(doc.text))
        found = [m for m in lexicon(c.language).find(sv.words) if m.entry.type != "NONE"]
        acts = [m.actor for m in sorted(doc.mentions, key=lambda m: m.start) if m.actor and m.role != "place"]
        if found and acts:
            first = min(found, key=lambda m: m.first)
            base.events = [Event(first.entry.type, acts[:1], acts[1:2], Span(0, 1), Span(0, len(doc.text)))]
        out.append(base)
    return score_gsr(cases, out).summary()


def speed_on_corpus(path: Path, limit: int) -> dict:
    """Events-stage throughput on real news articles (the stages before it timed apart)."""
    import csv

    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh, delimiter=";", quotechar="'") if r and r[0] == "International"][:limit]
    pre = Pipeline.build("language,sentences,mentions,coref")
    t0 = time.perf_counter()
    docs = [pre.annotate(Document(r[1], Source(str(i), "text"), Meta(published="2016-01-01"), language="de"))
            for i, r in enumerate(rows)]
    stage = EventsStage()
    t1 = time.perf_counter()
    docs = [stage(d) for d in docs]
    t2 = time.perf_counter()
    n = sum(len(d.sentences) for d in docs)
    return {"documents": len(docs), "sentences": n, "events": sum(len(d.events) for d in docs),
            "sentences_per_s": round(n / (t2 - t1), 1), "sentences_per_s_end_to_end": round(n / (t2 - t0), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description="events benchmark")
    ap.add_argument("--limit", type=int, default=None, help="only the first N cases of each set")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    console = Console()
    results: dict = {}
    gsr_cases = load_gsr(args.shared / GSR)[: args.limit]
    stage = EventsStage()
    # GSR, oracle actors
    docs = [oracle_doc(c) for c in gsr_cases]
    t = time.perf_counter()
    docs = [stage(d) for d in docs]
    oracle_s = time.perf_counter() - t
    gsr_oracle = score_gsr(gsr_cases, docs)
    results["gsr_oracle"] = gsr_oracle.summary()
    results["gsr_oracle"]["sentences_per_s"] = round(gsr_oracle.sentences / oracle_s, 1)
    results["gsr_baseline_oracle"] = naive_baseline(gsr_cases, [oracle_doc(c) for c in gsr_cases])
    # GSR, our own language, mentions and coref stages
    t0 = time.perf_counter()
    docs, ev_s = run_pipeline(gsr_cases)
    total_s = time.perf_counter() - t0
    gsr_pipe = score_gsr(gsr_cases, docs)
    results["gsr_baseline_pipeline"] = naive_baseline(gsr_cases, docs)
    results["gsr_pipeline"] = gsr_pipe.summary()
    results["gsr_pipeline"]["sentences_per_s"] = round(gsr_pipe.sentences / ev_s, 1)
    results["gsr_pipeline"]["sentences_per_s_end_to_end"] = round(gsr_pipe.sentences / total_s, 1)
    # German set, end to end
    de_cases = load_german(GERMAN)[: args.limit]
    t0 = time.perf_counter()
    docs, ev_s = run_pipeline(de_cases)
    total_s = time.perf_counter() - t0
    de = score_german(de_cases, docs)
    results["german"] = de.summary()
    results["german"]["sentences_per_s"] = round(de.sentences / ev_s, 1)
    results["german"]["sentences_per_s_end_to_end"] = round(de.sentences / total_s, 1)
    results["german"]["misses"] = de.misses

    # speed on real German news (10kGNAD, section International), mentions prepared beforehand
    results["speed_10kgnad"] = speed_on_corpus(args.shared / "data/corpus/10kgnad/test.csv", args.limit or 200)

    table = Table(title="events: PLOVER type and actors")
    for col in ("set", "cases", "type acc", "source+target", "type+source+target", "no event", "flagged ok",
                "events stage sent/s"):
        table.add_column(col, justify="right")
    for name, key in (("GSR, naive baseline, oracle actors", "gsr_baseline_oracle"),
                      ("GSR (en), oracle actors", "gsr_oracle"),
                      ("GSR, naive baseline, pipeline actors", "gsr_baseline_pipeline"),
                      ("GSR (en), pipeline actors", "gsr_pipeline"),
                      ("German set, pipeline", "german")):
        r = results[key]
        table.add_row(name, str(r["cases"]), f"{r['type_accuracy']:.3f}", f"{r['source_target_accuracy']:.3f}",
                      f"{r['type_source_target_accuracy']:.3f}", str(r["no_event"]),
                      f"{r['flagged_ok']:.2f} of {r['flagged_cases']}" if r["flagged_cases"] else "–",
                      str(r.get("sentences_per_s", "–")))
    console.print(table)
    sp = results["speed_10kgnad"]
    if sp:
        console.print(f"10kGNAD International: {sp['documents']} articles, {sp['sentences']} sentences, "
                      f"{sp['events']} events; events stage {sp['sentences_per_s']} sentences/s "
                      f"(language+sentences+mentions+coref+events: {sp['sentences_per_s_end_to_end']} sentences/s)")
    out = ROOT / "benchmarks/results/events.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    console.print(f"wrote {out}")


if __name__ == "__main__":
    main()
