"""Train the German name recogniser of the mentions stage -> lagebild/kb/data/ner_de.json.gz.

Training data: the first 1,760 sentences of GermEval 2014 dev (there is no GermEval train split in
../shared/data); sentences 1,760..2,199 are held out and are the only GermEval sentences the
benchmark reports on. The regularisation strength is chosen on the last 200 training sentences.
The part-of-speech lexicon comes from HanTa (offline) over word types of the 10kGNAD corpus, the
training sentences and HanTa's own cache: held-out sentences are not used at all.

Usage: python scripts/train_ner.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from lagebild.annotate.mentions import MentionFinder
from lagebild.annotate.mentions_eval import GERMEVAL_SPLIT, Sentence, as_document, read_germeval
from lagebild.annotate.mentions_ner import (CLASSES, MODEL_FILE, Lexicons, is_candidate, kb_tags,
                                            person_gazetteer, token_features)
from lagebild.annotate.sentences import tokenize
from lagebild.annotate.sentences import SentencesStage
from lagebild.kb.lookup import knowledge_base
from lagebild.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "lagebild" / "kb" / "data" / MODEL_FILE
COARSE = {"NE": "NE", "NN": "NN", "NNA": "NN", "NNI": "NN", "ADJ(A)": "ADJ", "ADJ(D)": "ADJ", "FM": "FM",
          "CARD": "CARD", "XY": "XY", "TRUNC": "TRUNC"}


def coarse(tag: str) -> str:
    if tag in COARSE:
        return COARSE[tag]
    if tag.startswith(("VV", "VA", "VM")):
        return "V"
    return "F"   # function words


def build_lexicon(types: set[str]) -> dict[str, str]:
    from HanTa import HanoverTagger as ht

    tagger = ht.HanoverTagger("morphmodel_ger.pgz")
    lex: dict[str, str] = {}
    for w in sorted(types, key=lambda x: (not x[:1].isupper(), x)):
        lw = w.lower()
        if lw in lex:
            continue
        try:
            tags = tagger.tag_word(w)
        except Exception:  # noqa: BLE001 - HanTa fails on odd strings; they stay unknown
            continue
        if not tags:
            continue
        best = coarse(tags[0][0])
        sure = len(tags) == 1 or float(tags[1][1]) - float(tags[0][1]) > 3.0
        lex[lw] = best if sure else best + "?"
    return lex


def corpus_sentences(shared: Path):
    """Token lists of unlabelled German news: 10kGNAD and the SpkAtt Wikinews articles."""
    for line in (shared / "corpus" / "10kgnad" / "test.csv").read_text(encoding="utf-8").splitlines():
        text = line.split(";", 1)[-1]
        yield [text[t.start:t.end] for t in tokenize(text)]
    for path in sorted((shared / "quotes" / "spkatt2023-news").rglob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        for s in data.get("Sentences", []):
            yield s.get("Tokens", [])
    dump = shared / "textdump" / "textdump-trafilatura-dev.jsonl.gz"
    if dump.is_file():
        with gzip.open(dump, "rt", encoding="utf-8") as fh:
            for line in fh:
                page = json.loads(line)
                if page.get("lang") != "de":
                    continue
                for ln in page.get("lines", []):
                    if ln.get("label") != "boilerplate" and len(ln.get("text", "")) > 40:
                        yield [ln["text"][t.start:t.end] for t in tokenize(ln["text"])]


def contexts(shared: Path, n_prev: int = 80, n_next: int = 40) -> dict[str, list[str]]:
    """Typical left/right neighbours of each capitalised word (not sentence-initial) in unlabelled news."""
    from collections import Counter

    pc: Counter = Counter()
    nc: Counter = Counter()
    per_word: dict[str, Counter] = {}
    for toks in corpus_sentences(shared):
        for i in range(1, len(toks)):
            w = toks[i]
            if not w[:1].isupper():
                continue
            p = toks[i - 1].lower()
            n = toks[i + 1].lower() if i + 1 < len(toks) else "</s>"
            pc[p] += 1
            nc[n] += 1
            c = per_word.setdefault(w, Counter())
            c["p:" + p] += 1
            c["n:" + n] += 1
            c["#"] += 1
    keep = {"p:" + w for w, _ in pc.most_common(n_prev)} | {"n:" + w for w, _ in nc.most_common(n_next)}
    out: dict[str, list[str]] = {}
    for w, c in per_word.items():
        total = c["#"]
        if total < 2:
            continue
        feats = [k for k, v in c.most_common(12) if k in keep and v >= 2 and v / total >= 0.15][:4]
        if feats:
            out[w] = feats
    return out


def clusters(shared: Path, k: int = 200, min_count: int = 3) -> dict[str, list[str]]:
    """Distributional word classes of capitalised words: SVD of their left/right neighbour counts
    in unlabelled news, then k-means (a cheap stand-in for Brown clusters / embeddings)."""
    from collections import Counter

    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    freq: Counter = Counter()
    ctxf: Counter = Counter()
    sents = list(corpus_sentences(shared))
    for toks in sents:
        for i, w in enumerate(toks):
            if w[:1].isupper():
                freq[w] += 1
            ctxf[w.lower()] += 1
    words = [w for w, n in freq.items() if n >= min_count]
    widx = {w: i for i, w in enumerate(words)}
    cwords = [w for w, _ in ctxf.most_common(3000)]
    cidx = {w: i for i, w in enumerate(cwords)}
    rows, cols = [], []
    nc = len(cwords)
    for toks in sents:
        for i, w in enumerate(toks):
            r = widx.get(w)
            if r is None:
                continue
            for off, base in ((-1, 0), (1, nc), (-2, 2 * nc), (2, 3 * nc)):
                j = i + off
                if 0 <= j < len(toks):
                    c = cidx.get(toks[j].lower())
                    if c is not None:
                        rows.append(r)
                        cols.append(base + c)
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(words), 4 * nc))
    m.data = np.log1p(m.data)
    vec = normalize(TruncatedSVD(n_components=60, random_state=0).fit_transform(normalize(m)))
    labels = MiniBatchKMeans(n_clusters=k, random_state=0, n_init=3).fit_predict(vec)
    coarse = MiniBatchKMeans(n_clusters=30, random_state=0, n_init=3).fit_predict(vec)
    return {w: [f"c{labels[i]}", f"k{coarse[i]}"] for i, w in enumerate(words)}


def examples(sents: list[Sentence], res: Lexicons) -> tuple[list[list[str]], list[int]]:
    finder = MentionFinder(knowledge_base(), Settings())
    splitter = SentencesStage()
    feats, labels = [], []
    for s in sents:
        doc, starts = as_document(s)
        splitter(doc)
        mentions, _ = finder(doc.text, "de", "2014-01-01")
        tokens = doc.layers["tokens"]
        words = [doc.text[t.start:t.end] for t in tokens]
        kb = kb_tags(tokens, mentions)
        sent_starts = {x.start for x in doc.layers["sentences"]}
        gold_of = {}
        for gi, st in enumerate(starts):
            typ = s.tags[gi].partition("-")[2]
            for c in range(st, st + len(s.tokens[gi])):
                gold_of[c] = typ if typ in ("PER", "LOC", "ORG") else "O"
        for i, w in enumerate(words):
            if not is_candidate(w):
                continue
            feats.append(token_features(words, i, tokens[i].start in sent_starts, kb, res))
            labels.append(CLASSES.index(gold_of.get(tokens[i].start, "O")))
    return feats, labels


def matrix(feats: list[list[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    rows, cols = [], []
    for r, fs in enumerate(feats):
        for f in fs:
            j = vocab.get(f)
            if j is not None:
                rows.append(r)
                cols.append(j)
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(feats), len(vocab)))


def fit(feats: list[list[str]], labels: list[int], c: float,
        weights: list[float] | None = None) -> tuple[LogisticRegression, dict[str, int]]:
    counts: dict[str, int] = {}
    for fs in feats:
        for f in fs:
            counts[f] = counts.get(f, 0) + 1
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= 1))}
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(matrix(feats, vocab), labels, sample_weight=weights)
    return model, vocab


def silver(shared: Path, model: LogisticRegression, vocab: dict[str, int], res: Lexicons,
           limit: int = 6000, threshold: float = 0.9) -> tuple[list[list[str]], list[int]]:
    """Self-training data: unlabelled news sentences that the model labels confidently (every
    candidate token >= threshold, at least one name)."""
    feats_all, labels_all = [], []
    kept = 0
    batch: list[Sentence] = []
    for toks in corpus_sentences(shared):
        if 5 <= len(toks) <= 60:
            batch.append(Sentence(list(toks), [], ["O"] * len(toks)))
        if len(batch) >= 30000:
            break
    feats, _ = [], []
    per_sent = []
    for s in batch:
        f, _l = examples([s], res)
        per_sent.append(f)
    flat = [f for fs in per_sent for f in fs]
    if not flat:
        return [], []
    proba = model.predict_proba(matrix(flat, vocab))
    k = 0
    for fs in per_sent:
        p = proba[k:k + len(fs)]
        k += len(fs)
        if not fs or p.max(axis=1).min() < threshold or (p.argmax(axis=1) == 0).all():
            continue
        feats_all.extend(fs)
        labels_all.extend(int(x) for x in p.argmax(axis=1))
        kept += 1
        if kept >= limit:
            break
    print(f"silver: {kept} sentences, {len(labels_all)} tokens", file=sys.stderr)
    return feats_all, labels_all


def make_lexicon(shared: Path, train: list[Sentence]) -> dict[str, str]:
    types: set[str] = set()
    corpus = (shared / "corpus" / "10kgnad" / "test.csv").read_text(encoding="utf-8")
    types |= set(re.findall(r"\b[A-ZÄÖÜ][\w-]+", corpus))
    for s in train:
        types |= set(s.tokens)
    from HanTa import HanoverTagger as ht

    types |= set(ht.HanoverTagger("morphmodel_ger.pgz").cache)
    return build_lexicon(types)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--lexicon", help="reuse a HanTa lexicon JSON made by an earlier run (saves minutes)")
    ap.add_argument("--out", default=str(OUT), help="where to write the model (default: the shipped file)")
    args = ap.parse_args()
    shared = Path(args.shared)
    sents = read_germeval(shared / "ner" / "germeval2014" / "NER-de-dev.tsv")
    train = sents[:GERMEVAL_SPLIT]
    t0 = time.time()
    if args.lexicon:
        lex = json.loads(Path(args.lexicon).read_text(encoding="utf-8"))
    else:
        lex = make_lexicon(shared, train)
    print(f"lexicon: {len(lex)} words ({time.time() - t0:.0f}s)", file=sys.stderr)
    ctx = contexts(shared)
    for w, cl in clusters(shared).items():
        ctx[w] = ctx.get(w, []) + cl
    print(f"contexts and clusters: {len(ctx)} words ({time.time() - t0:.0f}s)", file=sys.stderr)
    res = Lexicons(lex, person_gazetteer(), ctx)
    feats, labels = examples(train, res)
    cut = sum(1 for _ in examples(train[:-200], res)[0])
    best_c, best_acc = 1.0, -1.0
    for c in (0.3, 1.0, 3.0, 10.0):
        model, vocab = fit(feats[:cut], labels[:cut], c)
        pred = model.predict(matrix(feats[cut:], vocab))
        gold = np.asarray(labels[cut:])
        tp = int(((pred == gold) & (gold != 0)).sum())
        f1 = 2 * tp / max(1, int((pred != 0).sum()) + int((gold != 0).sum()))
        print(f"C={c}: token F1 on validation {f1:.3f}", file=sys.stderr)
        if f1 > best_acc:
            best_c, best_acc = c, f1
    # self-training: keep it only if it helps on the validation sentences
    m0, v0 = fit(feats[:cut], labels[:cut], best_c)
    sf, sl = silver(shared, m0, v0, res)
    use_silver = False
    if sf:
        m1, v1 = fit(feats[:cut] + sf, labels[:cut] + sl, best_c, [1.0] * cut + [0.5] * len(sl))
        pred = m1.predict(matrix(feats[cut:], v1))
        gold = np.asarray(labels[cut:])
        tp = int(((pred == gold) & (gold != 0)).sum())
        f1 = 2 * tp / max(1, int((pred != 0).sum()) + int((gold != 0).sum()))
        print(f"self-training: token F1 on validation {f1:.3f} (without: {best_acc:.3f})", file=sys.stderr)
        use_silver = f1 > best_acc
    if use_silver:
        model, _ = fit(feats, labels, best_c)
        sf, sl = silver(shared, model, _, res)
        model, vocab = fit(feats + sf, labels + sl, best_c, [1.0] * len(labels) + [0.5] * len(sl))
    else:
        model, vocab = fit(feats, labels, best_c)
    inv = sorted(vocab, key=vocab.get)
    coef = model.coef_.T  # (features, classes)
    keep = [j for j in range(len(inv)) if np.abs(coef[j]).max() >= 1e-3]
    data = {
        "classes": list(CLASSES), "C": best_c, "trained_on": f"GermEval 2014 dev sentences 0..{GERMEVAL_SPLIT - 1}"
                      + (" + self-training on unlabelled news" if use_silver else ""),
        "features": [inv[j] for j in keep],
        "weights": [round(float(x), 3) for j in keep for x in coef[j]],
        "bias": [round(float(x), 4) for x in model.intercept_],
        "lexicon": lex,
        "contexts": ctx,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as fh:
        fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    print(f"C={best_c} features={len(keep)} -> {out} ({out.stat().st_size} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
