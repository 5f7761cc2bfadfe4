#!/usr/bin/env python
"""Persuasion techniques, genre and tone: quality on PTC (SemEval-2020 Task 11) and speed.

    python benchmarks/framing.py [--limit N]

* SI: span identification F1 (official SI scorer semantics) on the dev spans, for the shipped
  tagger, the tagger + English rules (what the stage outputs), and two baselines measured in the
  same run: every sentence as one span, and the English rules alone.
* TC: technique micro-F1 on the fixed held-out tenth of train (gold spans given), per technique,
  with the majority-class baseline.
* Genre share of news on 10kGNAD (real German news), mean tone there.
* Speed of the framing, genre and tone stages in words/s.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))

from benchmarks._common import console, need_data, print_table, write_result  # noqa: E402
from lagebild.annotate.framing import FramingStage  # noqa: E402
from lagebild.annotate.framing_eval import (group_spans, is_heldout, read_articles, read_fragments,  # noqa: E402
                                            si_score, tc_score)
from lagebild.annotate.framing_model import shipped_model  # noqa: E402
from lagebild.annotate.framing_patterns import match  # noqa: E402
from lagebild.annotate.genre import GenreStage  # noqa: E402
from lagebild.annotate.sentences import SentencesStage  # noqa: E402
from lagebild.annotate.tone import ToneStage  # noqa: E402
from lagebild.document import Document, Source  # noqa: E402


def words(text: str) -> int:
    return len(text.split())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="at most N articles per set")
    args = ap.parse_args()
    data = need_data()
    ptc = data / "framing" / "ptc2020"
    model = shipped_model()
    if model is None:
        console.print("[red]no shipped model: run scripts/train_framing.py[/]")
        sys.exit(2)
    sentences = SentencesStage()

    # ---------------------------------------------------------------- SI on dev
    dev = read_articles(ptc / "dev-articles")
    if args.limit:
        dev = dict(list(dev.items())[:args.limit])
    gold = {a: v for a, v in group_spans(read_fragments(ptc / "dev-task-TC-template.out")).items() if a in dev}
    framing = FramingStage()
    pred_model, pred_stage, pred_sent, pred_rules = {}, {}, {}, {}
    t0 = time.perf_counter()
    docs = {}
    for aid, text in dev.items():
        doc = sentences(Document(text, Source(aid, "text"), language="en"))
        docs[aid] = doc
        pred_model[aid] = [(t.start, t.end) for t in model.spans(text, doc.sentences, doc.layers["tokens"])]
    t_model = time.perf_counter() - t0
    t0 = time.perf_counter()
    for aid, doc in docs.items():
        framing(doc)
        pred_stage[aid] = [(f.start, f.end) for f in doc.framing]
    t_stage = time.perf_counter() - t0
    for aid, doc in docs.items():
        pred_sent[aid] = [(s.start, s.end) for s in doc.sentences]
        pred_rules[aid] = [(f.start, f.end) for f in match(doc.text, doc.sentences, "en")]
    si = {name: si_score(p, gold) for name, p in (("tagger", pred_model), ("stage (tagger + rules)", pred_stage),
                                                   ("baseline: every sentence", pred_sent),
                                                   ("baseline: rules only", pred_rules))}
    print_table("SI on PTC dev (span identification, SemEval-2020 Task 11 metric)",
                ["system", "F1", "precision", "recall", "pred spans", "gold spans"],
                [[k, v["f1"], v["precision"], v["recall"], v["pred_spans"], v["gold_spans"]] for k, v in si.items()])

    # ---------------------------------------------------------------- TC on held-out tenth
    train = read_articles(ptc / "train-articles")
    frags = [f for f in read_fragments(ptc / "train-task2-TC.labels") if is_heldout(f.article)]
    if args.limit:
        keep = sorted({f.article for f in frags})[:max(1, args.limit // 10)]
        frags = [f for f in frags if f.article in keep]
    gold_t, pred_t = [], []
    for aid in sorted({f.article for f in frags}):
        text = train[aid]
        doc = sentences(Document(text, Source(aid, "text"), language="en"))
        fs = [f for f in frags if f.article == aid]
        labels = model.classify(text, [(f.start, f.end) for f in fs], doc.sentences)
        gold_t += [f.technique for f in fs]
        pred_t += [lab for lab, _ in labels]
    tc = tc_score(gold_t, pred_t)
    train_labels = [f.technique for f in read_fragments(ptc / "train-task2-TC.labels") if not is_heldout(f.article)]
    maj = Counter(train_labels).most_common(1)[0][0]
    tc_base = tc_score(gold_t, [maj] * len(gold_t))
    print_table("TC on the held-out tenth of train (gold spans given)", ["system", "micro-F1", "fragments"],
                [["classifier", tc["micro_f1"], tc["n"]], [f"baseline: majority ({maj})", tc_base["micro_f1"], tc_base["n"]]])
    print_table("TC per technique", ["technique", "F1", "precision", "recall", "support"],
                [[t, v["f1"], v["precision"], v["recall"], v["support"]] for t, v in tc["per_technique"].items()])

    # ---------------------------------------------------------------- genre and tone on 10kGNAD, speed
    with open(data / "corpus" / "10kgnad" / "test.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=";", quotechar="'"))
    if args.limit:
        rows = rows[:args.limit * 4]
    gdocs = [sentences(Document(t, Source(str(i), "text"), language="de")) for i, (_, t) in enumerate(rows)]
    n_words_de = sum(words(d.text) for d in gdocs)
    speed = {}
    for name, st in (("genre", GenreStage()), ("tone", ToneStage()), ("framing (de rules)", FramingStage())):
        t0 = time.perf_counter()
        for d in gdocs:
            st(d)
        speed[name] = n_words_de / (time.perf_counter() - t0)
    n_words_en = sum(words(t) for t in dev.values())
    speed["framing (en tagger + rules)"] = n_words_en / t_stage
    speed["span tagger alone (en)"] = n_words_en / t_model
    genres = Counter(d.genre for d in gdocs)
    news_share = genres["news"] / len(gdocs)
    mean_tone = sum(d.tone["score"] for d in gdocs) / len(gdocs)
    print_table("Genre and tone on 10kGNAD (German news)", ["measure", "value"],
                [["documents", len(gdocs)], ["share news", news_share]] +
                [[f"share {g}", c / len(gdocs)] for g, c in genres.most_common() if g != "news"] +
                [["mean tone", mean_tone], ["framing spans per 1000 words", 1000 * sum(len(d.framing) for d in gdocs) / n_words_de]])
    print_table("Speed", ["stage", "words/s"], [[k, round(v)] for k, v in speed.items()])
    write_result("framing", {
        "si_dev": si, "tc_heldout": {"micro_f1": tc["micro_f1"], "n": tc["n"], "per_technique": tc["per_technique"],
                                      "baseline_majority": {"label": maj, "micro_f1": tc_base["micro_f1"]}},
        "genre_10kgnad": {"documents": len(gdocs), "news_share": news_share, "genres": dict(genres),
                          "mean_tone": mean_tone},
        "speed_words_per_s": speed, "limit": args.limit,
    })


if __name__ == "__main__":
    main()
