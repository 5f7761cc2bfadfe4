"""Actor mentions: NER quality (GermEval 2014, Europarl), actor linking (PLOVER GSR), speed.

    python benchmarks/ner.py [--limit N]

* GermEval 2014 dev, outer PER/LOC/ORG, exact spans (strict; *deriv/*part/OTH ignored) and
  overlap (lenient). The name recogniser (a linear-chain CRF since 2026-11; the token classifier
  before it scored .630 strict / .717 lenient) is trained on sentences [0, 1760) of this file
  (there is no train split in ../shared/data), so the full system is scored on the held-out
  sentences [1760, 2200) only; the KB + rules alone (nothing learned) are also scored on the whole
  dev set.
* Europarl (German parliament, CoNLL tags): out-of-domain, never trained on.
* PLOVER gold records (English): share of coded source/target actors whose text span is linked to
  the gold country (or IGO/NGO).
* Speed: mentions + coref on 10kGNAD test articles, words/s of CPU time on one core (the machine
  is shared, so wall-clock time is printed too), next to the yardstick of
  ~10,000 words/s for a small spaCy CNN pipeline (a reference figure; spaCy is not installed here).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import need_data, print_table, write_result  # noqa: E402

from lagebild.annotate.mentions_eval import (GERMEVAL_SPLIT, evaluate, read_europarl,  # noqa: E402
                                             read_germeval)
from lagebild.document import Document, Meta, Source  # noqa: E402
from lagebild.pipeline import Pipeline  # noqa: E402
from lagebild.settings import Settings  # noqa: E402

SPACY_SM_WORDS_PER_S = 10_000
CAMEO_TO_ISO = {"JAP": "JPN", "UK": "GBR", "ITL": "ITA"}   # CAMEO codes that differ from ISO 3166


def pipelines() -> tuple[Pipeline, Pipeline]:
    full = Pipeline.build("language,sentences,mentions,coref")
    rules = Pipeline.build("language,sentences,mentions,coref")
    rules.stages[2].ner = None   # KB + rules only
    return full, rules


def code_of(actor) -> str | None:
    if actor is None:
        return None
    if actor.kind in ("organisation", "group") and actor.sector in ("IGO", "NGO") and not actor.country:
        return actor.sector
    return actor.country


def plover(data: Path, pipe: Pipeline, limit: int | None) -> dict:
    recs = json.loads((data / "events" / "plover" / "gold_standard_records" / "PLOVER_GSR_CAMEO.txt").read_text())
    total = found = correct = 0
    for r in recs[: limit or None]:
        text = r.get("text")
        if not text:
            continue
        doc = Document(text, Source("plover", "text"), Meta(published=r.get("date")), language="en")
        pipe.annotate(doc)
        for key in ("source", "target"):
            actors = r.get(key)
            if not isinstance(actors, list):
                continue
            for a in actors:
                gold = CAMEO_TO_ISO.get(a.get("code"), a.get("code"))
                at = (a.get("actorText") or "").strip()
                pos = text.find(at) if at else -1
                total += 1
                if pos < 0:
                    continue
                over = [m for m in doc.mentions if m.start < pos + len(at) and pos < m.end and m.actor is not None]
                if not over:
                    continue
                found += 1
                codes = {code_of(m.actor) for m in over}
                if gold in codes:
                    correct += 1
    return {"actors": total, "linked": found, "correct": correct,
            "accuracy": round(correct / max(1, total), 4), "accuracy_of_linked": round(correct / max(1, found), 4)}


def speed(data: Path, limit: int | None) -> dict:
    import csv

    pre = Pipeline.build("language,sentences")
    stages = Pipeline.build("language,sentences,mentions,coref").stages[2:]
    docs = []
    with open(data / "corpus" / "10kgnad" / "test.csv", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter=";", quotechar="'"):
            if len(row) < 2:
                continue
            d = Document(row[1], Source("10kgnad", "text"), Meta())
            pre.annotate(d)
            docs.append(d)
            if limit and len(docs) >= limit:
                break
    words = sum(len(d.text.split()) for d in docs)
    for st in stages:       # warm up (KB and model loading are not part of the rate)
        st(docs[0])
    t, c = time.perf_counter(), time.process_time()
    for d in docs:
        for st in stages:
            st(d)
    wall, secs = time.perf_counter() - t, time.process_time() - c
    mentions = sum(len(d.mentions) for d in docs)
    return {"docs": len(docs), "words": words, "seconds": round(secs, 3), "wall_seconds": round(wall, 3),
            "words_per_s": round(words / secs), "words_per_wall_s": round(words / wall), "mentions": mentions,
            "yardstick_spacy_sm_words_per_s": SPACY_SM_WORDS_PER_S}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None, help="at most N items per data set")
    args = ap.parse_args()
    data = need_data()
    full, rules = pipelines()
    lim = args.limit
    ge = read_germeval(data / "ner" / "germeval2014" / "NER-de-dev.tsv")
    held = ge[GERMEVAL_SPLIT:][: lim or None]
    ep = read_europarl(data / "ner" / "europarl-de" / "ep-96-04-15_pado_annotated.tsv")[: lim or None]
    res = {
        "germeval_heldout": evaluate(held, full.annotate),
        "germeval_heldout_rules_only": evaluate(held, rules.annotate),
        "germeval_dev_rules_only": evaluate(ge[: lim or None], rules.annotate),
        "europarl": evaluate(ep, full.annotate),
        "europarl_rules_only": evaluate(ep, rules.annotate),
    }
    short = {"germeval_heldout": "GE held-out", "germeval_heldout_rules_only": "GE held-out, rules",
             "germeval_dev_rules_only": "GE dev, rules", "europarl": "Europarl", "europarl_rules_only": "Europarl, rules"}
    rows = []
    for name, r in res.items():
        a = r["all"]
        rows.append([short[name], a["precision"], a["recall"], a["f1"], a["lenient_f1"], r["PER"]["f1"], r["LOC"]["f1"], r["ORG"]["f1"]])
    print_table("NER (outer PER/LOC/ORG; strict = exact spans)", ["set", "P", "R", "F1 strict", "F1 lenient",
                                                                  "PER", "LOC", "ORG"], rows)
    res["plover_linking"] = plover(data, full, lim)
    p = res["plover_linking"]
    print_table("PLOVER GSR actor linking (English)", ["actors", "linked", "correct", "accuracy", "acc. of linked"],
                [[p["actors"], p["linked"], p["correct"], p["accuracy"], p["accuracy_of_linked"]]])
    res["speed"] = speed(data, lim)
    s = res["speed"]
    print_table("Speed: mentions + coref, one core (CPU time; wall clock in brackets)",
                ["system", "docs", "words", "CPU s", "words/s"],
                [["lagebild mentions+coref", s["docs"], s["words"], s["seconds"],
                  f"{s['words_per_s']} ({s['words_per_wall_s']} wall)"],
                 ["yardstick: spaCy small CNN (reference)", "", "", "", SPACY_SM_WORDS_PER_S]])
    write_result("ner", {"settings": {"limit": lim, "germeval_split": GERMEVAL_SPLIT}, **res})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
