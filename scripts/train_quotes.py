"""Train the speaker ranker of the quotes stage on SpkAtt-2023 news (the tuning part only).

For every cue the rules find (reporting verb, "wie X sagte") whose words overlap a gold cue, each
candidate phrase of ``quotes_ranker.candidates`` is labelled by whether it overlaps that event's gold
source; a logistic regression over the string features of ``quotes_ranker.features`` learns which
phrase is the speaker. The held-out fifth of the files (index % 5 == 4, the benchmark's split) is
never read here. The filter also learns from the Bundestag speeches of the SpkAtt training split
(speeches speak in the first person; the benchmark checks on the dev speeches). Output: ``lagebild/annotate/data/quotes_speaker_de.json`` (bias, margin and the
weights of features seen at least ``--min-count`` times), a few hundred KB at most.

    python scripts/train_quotes.py [--check]   # --check: train on 3/4 of the tuning files, report on 1/4
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "lagebild" / "annotate" / "data" / "quotes_speaker_de.json"
FILTER_OUT = ROOT / "lagebild" / "annotate" / "data" / "quotes_filter_de.json"


def _bench():
    spec = importlib.util.spec_from_file_location("quotes_bench", ROOT / "benchmarks" / "quotes.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _overlap(a: int, b: int, toks) -> bool:
    return any(t[0] < b and t[1] > a for t in toks)


def groups(files: list[Path]) -> list[list[tuple[list[str], int, bool]]]:
    """Per cue: (features, label, is_rule_choice) of each candidate."""
    from lagebild.annotate.quotes import QuotesStage
    from lagebild.annotate.quotes_attribution import Attribution
    from lagebild.annotate.quotes_cues import find_cues
    from lagebild.annotate.quotes_lexicon import lexicon
    from lagebild.annotate.quotes_marks import outermost, scan
    from lagebild.annotate.quotes_ranker import RERANK_KINDS, candidates, features
    from lagebild.annotate.quotes_speaker import MentionIndex
    from lagebild.annotate.sentences import make_sentences
    from lagebild.document import Document, Source
    from lagebild.settings import Settings

    bench = _bench()
    sent_stage = make_sentences(Settings())
    lex = lexicon("de")
    out = []
    for f in files:
        text, offs, anns = bench.load(f)
        doc = sent_stage(Document(text, Source(str(f), "text"), language="de"))
        sents = QuotesStage._sentences(doc)
        quoted = outermost(scan(text, lex.openers, strict=lex.strict))
        direct, _ = QuotesStage._classify(text, quoted, sents, lex)
        run = Attribution(text, sents, lex, MentionIndex([]))
        run.mask(direct)
        gold = [(bench._tokens(a.get("Cue", []), offs), bench._tokens(a.get("Source", []), offs),
                 bench._tokens(a.get("Message", []), offs)) for a in anns]
        gold = [g for g in gold if g[1]]
        for s in sents:
            for c in find_cues(s.words, lex, s.masked):
                if c.kind not in RERANK_KINDS or c.src is None:
                    continue
                a, b = s.words[c.i].start, s.words[c.j].end
                hits = [src for cue_toks, src, _ in gold if _overlap(a, b, cue_toks)]
                if not hits and c.msg is not None:   # an event without an annotated cue: its message
                    m0, m1 = s.words[c.msg[0]].start, s.words[c.msg[1] - 1].end
                    hits = [src for _, src, msg in gold
                            if msg and sum(1 for t in msg if m0 <= t[0] and t[1] <= m1) * 2 >= len(msg)]
                if not hits:
                    continue
                src = hits[0]
                rows = []
                for x in candidates(s.words, c, lex, s.masked):
                    lab = _overlap(s.words[x[0]].start, s.words[x[1] - 1].end, src)
                    rows.append((features(s.words, c, x, lex), int(lab), x == c.src))
                if any(r[1] for r in rows) and len(rows) > 1:
                    out.append(rows)
    return out


def filter_rows(files: list[Path]) -> list[tuple[list[str], int]]:
    """Per quote the rules find (filter off, no actor stages): its features and whether it finds a gold
    event with the benchmark's rule (message half covered, source overlapping)."""
    from lagebild.annotate.quotes import QuotesStage
    from lagebild.annotate.quotes_filter import FILTERED_FORMS, features, nested_flags, voice
    from lagebild.annotate.quotes_lexicon import lexicon
    from lagebild.annotate.sentences import make_sentences
    from lagebild.document import Document, Source
    from lagebild.settings import Settings

    bench = _bench()
    sent_stage, quotes_stage = make_sentences(Settings()), QuotesStage(use_models=False)
    lex = lexicon("de")
    rows = []
    for f in files:
        text, offs, anns = bench.load(f)
        doc = quotes_stage(sent_stage(Document(text, Source(str(f), "text"), language="de")))
        gold = [(bench._tokens(a.get("Message", []), offs), bench._tokens(a.get("Source", []), offs)) for a in anns]
        gold = [g for g in gold if g[0]]
        infos = doc.layers["quote_info"]
        doc_voice = voice(text, lex)
        for q, info, inner in zip(doc.quotes, infos, nested_flags(doc.quotes)):
            form = info.get("form") or q.kind
            if q.kind == "scare" or form not in FILTERED_FORMS or inner:
                continue
            spk = (q.speaker.start, q.speaker.end) if q.speaker and q.speaker.start is not None else None
            ok = any(sum(1 for t in msg if q.start <= t[0] and t[1] <= q.end) * 2 >= len(msg) and (
                not src or bench._overlaps(info.get("source"), src) or bench._overlaps(spk, src)) for msg, src in gold)
            rows.append((features(text, q, info, lex, doc_voice), int(ok)))
    return rows


def bundestag_train() -> list[Path]:
    """Bundestag speeches of the SpkAtt training split (the benchmark's out-of-domain check uses dev)."""
    return sorted((_bench().DATA / "quotes" / "spkatt2023" / "train" / "task1").glob("*.json"))


def fit_filter(rows: list, min_count: int, c_reg: float, threshold: float, weights: list[float] | None = None) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for feats, _ in rows for f in feats)
    X = [{f: 1 for f in feats if counts[f] >= min_count} for feats, _ in rows]
    vec = DictVectorizer()
    clf = LogisticRegression(C=c_reg, max_iter=2000)
    clf.fit(vec.fit_transform(X), [y for _, y in rows], sample_weight=weights)
    weights = {name: round(float(w), 4) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) >= 1e-3}
    return {"bias": round(float(clf.intercept_[0]), 4), "threshold": threshold, "weights": weights}


def _filter_model(news: list[Path], min_count: int, c_reg: float, threshold: float, bt_weight: float) -> dict:
    """The filter trained on news files and the Bundestag training speeches (down-weighted: the
    stage's main use is news)."""
    a, b = filter_rows(news), filter_rows(bundestag_train())
    return fit_filter(a + b, min_count, c_reg, threshold, [1.0] * len(a) + [bt_weight] * len(b))


def check_filter(files: list[Path], min_count: int, c_reg: float, bt_weight: float, folds: int = 4) -> None:
    """Cross-validation on the tuning files: the filter trained on the other folds, the benchmark's
    event F1 on each fold, averaged, for a few thresholds (the shipped file is overwritten: run
    without --check-filter afterwards)."""
    from lagebild.annotate.quotes_filter import load_filter

    bench = _bench()
    ths = (0.0, 0.25, 0.3, 0.35, 0.4, 0.45)
    f1s: dict[float, list[float]] = {th: [] for th in ths}
    for k in range(folds):
        model = _filter_model([f for i, f in enumerate(files) if i % folds != k], min_count, c_reg, 0.0, bt_weight)
        test = [f for i, f in enumerate(files) if i % folds == k]
        for th in ths:
            model["threshold"] = th
            FILTER_OUT.write_text(json.dumps(model), encoding="utf-8")
            load_filter.cache_clear()
            f1s[th].append(bench.evaluate(test, use_mentions=False)["f1"])
    for th in ths:
        model["threshold"] = th   # the last fold's model, on the out-of-domain speeches
        FILTER_OUT.write_text(json.dumps(model), encoding="utf-8")
        load_filter.cache_clear()
        bt = bench.evaluate(bench.bundestag_files(), forms=False, use_mentions=False)["f1"]
        print(f"threshold {th}: mean event F1 {sum(f1s[th]) / folds:.4f} ({', '.join(f'{x:.3f}' for x in f1s[th])}); "
              f"Bundestag dev {bt:.3f}")


def fit(train: list, min_count: int, c_reg: float) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for g in train for feats, _, _ in g for f in feats)
    keep = {f for f, n in counts.items() if n >= min_count}
    X = [{f: 1 for f in feats if f in keep} for g in train for feats, _, _ in g]
    y = [lab for g in train for _, lab, _ in g]
    vec = DictVectorizer()
    clf = LogisticRegression(C=c_reg, max_iter=2000)
    clf.fit(vec.fit_transform(X), y)
    weights = {name: round(float(w), 4) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) >= 1e-3}
    return {"bias": round(float(clf.intercept_[0]), 4), "margin": 0.0, "weights": weights}


def accuracy(model: dict, test: list, margin: float) -> tuple[float, float]:
    """Share of cues whose chosen phrase is a gold source: rules alone, and rules with the model."""
    w = model["weights"]
    rule_ok = model_ok = 0
    for g in test:
        scores = [sum(w.get(f, 0.0) for f in feats) for feats, _, _ in g]
        rule = next((i for i, r in enumerate(g) if r[2]), None)
        best = max(range(len(g)), key=lambda i: scores[i])
        pick = best if rule is None or scores[best] > scores[rule] + margin else rule
        rule_ok += bool(rule is not None and g[rule][1])
        model_ok += g[pick][1]
    return rule_ok / len(test), model_ok / len(test)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="report accuracy on a quarter of the tuning files")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--c", type=float, default=0.5, help="inverse regularisation strength")
    ap.add_argument("--margin", type=float, default=0.0)
    ap.add_argument("--threshold", type=float, default=0.35, help="the filter's keep threshold")
    ap.add_argument("--bt-weight", type=float, default=1.0, help="weight of a Bundestag quote in the filter's training")
    ap.add_argument("--check-filter", action="store_true", help="event F1 on a quarter of the tuning files per threshold")
    args = ap.parse_args()
    files = _bench().news_files("tune")   # never the held-out fifth
    if args.check_filter:
        check_filter(files, args.min_count, args.c, args.bt_weight)
        return
    if args.check:
        train = groups([f for i, f in enumerate(files) if i % 4 != 3])
        test = groups([f for i, f in enumerate(files) if i % 4 == 3])
        model = fit(train, args.min_count, args.c)
        for m in (0.0, 0.5, 1.0, 1.5, 2.0):
            r, a = accuracy(model, test, m)
            print(f"margin {m}: cues {len(test)}, rules {r:.3f}, model {a:.3f}")
        return
    data = groups(files)
    model = fit(data, args.min_count, args.c)
    model["margin"] = args.margin
    r, a = accuracy(model, data, args.margin)
    print(f"trained on {len(data)} cues, {len(model['weights'])} weights; training accuracy rules {r:.3f}, model {a:.3f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")
    filt = _filter_model(files, args.min_count, args.c, args.threshold, args.bt_weight)
    FILTER_OUT.write_text(json.dumps(filt, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    print(f"filter: {len(filt['weights'])} weights; "
          f"wrote {FILTER_OUT} ({FILTER_OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
