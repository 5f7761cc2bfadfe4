"""Train the German name recogniser of the mentions stage -> lagebild/kb/data/ner_de.json.gz.

Training data: the first 1,760 sentences of GermEval 2014 dev (there is no GermEval train split in
../shared/data); sentences 1,760..2,199 are held out and are the only GermEval sentences the
benchmark reports on. The model is a linear-chain CRF (python-crfsuite); its L1/L2 regularisation
is chosen by 4-fold cross-validation over the training sentences.
The part-of-speech lexicon comes from HanTa (offline) over the capitalised word types of unlabelled
German text (10kGNAD, SpkAtt, text dump) and HanTa's own cache; GermEval words are not in it (held-out
sentences are not used at all, and training sentences would make the lexicon look more complete
in training than on new text). A first-name list comes from the gender-guesser package; the
name-or-noun character model (``name_shape_model``) from KB names against the lexicon's nouns.

Usage: python scripts/train_ner.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import tempfile

import numpy as np
import pycrfsuite
from scipy import sparse

from lagebild.annotate.mentions import MentionFinder
from lagebild.annotate.mentions_eval import GERMEVAL_SPLIT, Sentence, as_document, read_europarl, read_germeval
from lagebild.annotate.mentions_ner import CLASSES, CRF_FILE, MODEL_FILE, add_likely_names, bio_spans
from lagebild.annotate.mentions_name_shape import NameShape
from lagebild.annotate.mentions_ner_features import Lexicons, kb_tags, person_gazetteer, sentence_features
from lagebild.annotate.sentences import tokenize
from lagebild.annotate.sentences import SentencesStage
from lagebild.kb.lookup import knowledge_base
from lagebild.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
VALIDATION = 200        # --validation-model leaves out the last training sentences (for error analysis)
EUROPARL_TRAIN = 400    # with --europarl: Europarl sentences [0, 400) join the training data
GRID = ((0.02, 0.05), (0.1, 0.05), (0.2, 0.05), (0.05, 0.1), (0.1, 0.2))
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
    """Token lists of unlabelled German text: 10kGNAD, the SpkAtt Wikinews articles and Bundestag
    debates, German pages of the trafilatura text dump."""
    for line in (shared / "corpus" / "10kgnad" / "test.csv").read_text(encoding="utf-8").splitlines():
        text = line.split(";", 1)[-1]
        yield [text[t.start:t.end] for t in tokenize(text)]
    for path in [*sorted((shared / "quotes" / "spkatt2023-news").rglob("*.json")),
                 *sorted((shared / "quotes" / "spkatt2023").rglob("*.json"))]:
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
    levels = {"c": k, "k": 30}
    labels = {p: MiniBatchKMeans(n_clusters=n, random_state=0, n_init=3).fit_predict(vec) for p, n in levels.items()}
    return {w: [f"{p}{lab[i]}" for p, lab in labels.items()] for i, w in enumerate(words)}


def name_shape_model(lex: dict[str, str], first: dict[str, str], min_df: int = 3, min_weight: float = 0.005) -> dict:
    """The name-or-noun model of ``mentions_name_shape``: logistic regression over character
    n-grams, common nouns of the HanTa lexicon (class NN) against one-word place names and person
    name parts of the KB and the first-name list. Words that are both are left out. No GermEval
    word is used (the lexicon and the KB are built without it)."""
    import re

    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from lagebild.annotate.mentions_name_shape import char_ngrams

    word = re.compile(r"^[A-ZÄÖÜ][^\W\d_]{2,}$")
    nouns = {w[:1].upper() + w[1:] for w, c in lex.items() if c == "NN"}
    kb = knowledge_base()
    names = {p for p in kb.place_names if word.match(p)}
    names |= {t for a in kb.actors if a.kind == "person" for t in a.name.split() if word.match(t)}
    names |= {n for n in first if word.match(n)}
    nouns = {w for w in nouns if word.match(w)}
    both = nouns & names
    words = sorted(nouns - both) + sorted(names - both)
    y = [1] * len(nouns - both) + [0] * len(names - both)
    vec = CountVectorizer(analyzer=char_ngrams, min_df=min_df, binary=True)
    x = vec.fit_transform(words)
    clf = LogisticRegression(C=2.0, max_iter=500, class_weight="balanced").fit(x, y)
    weights = {g: round(float(w), 3) for g, w in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) >= min_weight}
    print(f"name shape: {len(nouns - both)} nouns, {len(names - both)} names, {len(weights)} n-grams",
          file=sys.stderr)
    return {"weights": weights, "bias": round(float(clf.intercept_[0]), 4)}


def labelled(sents: list[Sentence], res: Lexicons) -> list[tuple[list[list[str]], list[str]]]:
    """(features, BIO labels) of each sentence over the project's own tokens (gold outer
    PER/LOC/ORG spans mapped by character offsets; OTH, *deriv and *part are O)."""
    finder = MentionFinder(knowledge_base(), Settings())
    splitter = SentencesStage()
    out = []
    for s in sents:
        doc, starts = as_document(s)
        splitter(doc)
        mentions, _ = finder(doc.text, "de", "2014-01-01")
        tokens = doc.layers["tokens"]
        words = [doc.text[t.start:t.end] for t in tokens]
        labels = ["O"] * len(tokens)
        for ts, te, typ in s.gold:
            lo, hi = starts[ts], starts[te - 1] + len(s.tokens[te - 1])
            inside = [i for i, t in enumerate(tokens) if lo <= t.start < hi]
            for k, i in enumerate(inside):
                labels[i] = ("B-" if k == 0 else "I-") + typ
        out.append((sentence_features(words, kb_tags(tokens, mentions), res), labels))
    return out


def train(data: list[tuple[list[list[str]], list[str]]], path: Path, c1: float, c2: float) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in data:
        trainer.append(x, y)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": 200, "feature.possible_transitions": True})
    trainer.train(str(path))


def cross_validate(data: list, extra: list, c: tuple[float, float], folds: int) -> list[float]:
    """Span F1 of each fold of the training sentences (``extra`` data always trains)."""
    tmp = Path(tempfile.mkdtemp()) / "crf.bin"
    out = []
    for k in range(folds):
        lo, hi = len(data) * k // folds, len(data) * (k + 1) // folds
        part = data[:lo] + data[hi:]
        train(part + extra, tmp, *c)
        out.append(span_f1(data[lo:hi], tmp))
    return out


def span_f1(data: list[tuple[list[list[str]], list[str]]], path: Path) -> float:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    tp = fp = fn = 0
    for x, y in data:
        tagger.set(x)
        labels = tagger.tag()
        words = [next((f[2:] for f in fs if f.startswith("w=")), "") for fs in x]   # candidates carry w=
        add_likely_names(words, labels, tagger)   # the recall decoding the recogniser uses at run time
        g, p = set(bio_spans(y)), set(bio_spans(labels))
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    return 2 * tp / max(1, 2 * tp + fp + fn)


def first_names(common: int = 6) -> dict[str, str]:
    """First names of the gender-guesser name dictionary (about 60,000, many countries): "H" when
    common in some country (frequency class >= ``common``), "L" otherwise."""
    import gender_guesser.detector as gd

    out: dict[str, str] = {}
    for name, genders in gd.Detector(case_sensitive=True).names.items():
        if len(name) < 2 or not name[0].isupper() or " " in name or "+" in name:
            continue
        freq = max((int(c, 16) for cols in genders.values() for c in cols if c.strip()), default=0)
        out[name] = "H" if freq >= common else "L"
    return out


def make_lexicon(shared: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    """HanTa classes of the capitalised word types of the unlabelled corpora and of HanTa's own
    cache. Not of the GermEval training sentences: their words would all be known in training but
    a third of the names in new text are not, and the model would lean on the lexicon too much.
    ``known`` (a lexicon of an earlier run) saves tagging words again."""
    from HanTa import HanoverTagger as ht

    types: set[str] = set(ht.HanoverTagger("morphmodel_ger.pgz").cache)
    for toks in corpus_sentences(shared):
        types.update(w for w in toks if w[:1].isupper())
    known = known or {}
    lex = {w.lower(): known[w.lower()] for w in types if w.lower() in known}
    lex.update(build_lexicon({w for w in types if w.lower() not in lex}))
    return lex


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--lexicon", help="a HanTa lexicon JSON of an earlier run: its words are not tagged again")
    ap.add_argument("--out", default=str(OUT), help="where to write the model (default: the shipped file)")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse lexicon, contexts and clusters of the shipped model file (saves minutes)")
    ap.add_argument("--validation-model", action="store_true",
                    help=f"train the final model without the last {VALIDATION} training sentences (error analysis on them)")
    ap.add_argument("--save-lexicon", help="also write the HanTa lexicon JSON here (for --lexicon later)")
    ap.add_argument("--folds", type=int, default=4, help="cross-validation folds over the training sentences")
    ap.add_argument("--cv-only", action="store_true", help="only report the cross-validated span F1 of the grid")
    ap.add_argument("--grid", help="c1:c2[,c1:c2...] instead of the default grid")
    ap.add_argument("--europarl", action="store_true", help=f"also train on Europarl sentences [0, {EUROPARL_TRAIN})")
    args = ap.parse_args()
    shared = Path(args.shared)
    sents = read_germeval(shared / "ner" / "germeval2014" / "NER-de-dev.tsv")
    train_sents = sents[:GERMEVAL_SPLIT]
    t0 = time.time()
    if args.reuse:
        with gzip.open(OUT, "rt", encoding="utf-8") as fh:
            old = json.load(fh)
        lex, ctx = old["lexicon"], old["contexts"]
    else:
        known = json.loads(Path(args.lexicon).read_text(encoding="utf-8")) if args.lexicon else None
        lex = make_lexicon(shared, known)
        if args.save_lexicon:
            Path(args.save_lexicon).write_text(json.dumps(lex, ensure_ascii=False), encoding="utf-8")
    print(f"lexicon: {len(lex)} words ({time.time() - t0:.0f}s)", file=sys.stderr)
    if not args.reuse:
        ctx = contexts(shared)
        for w, cl in clusters(shared).items():
            ctx[w] = ctx.get(w, []) + cl
    print(f"contexts and clusters: {len(ctx)} words ({time.time() - t0:.0f}s)", file=sys.stderr)
    first = first_names()
    shape = old["name_shape"] if args.reuse and "name_shape" in old else name_shape_model(lex, first)
    res = Lexicons(lex, person_gazetteer(), ctx, first, NameShape.from_json(shape))
    data = labelled(train_sents, res)
    extra: list = []
    if args.europarl:
        ep = read_europarl(shared / "ner" / "europarl-de" / "ep-96-04-15_pado_annotated.tsv")[:EUROPARL_TRAIN]
        extra = labelled(ep, res)
    grid = [tuple(map(float, x.split(":"))) for x in args.grid.split(",")] if args.grid else GRID
    best, best_f1 = grid[0], -1.0
    for c in grid:
        f1s = cross_validate(data, extra, c, args.folds)
        print(f"c1={c[0]} c2={c[1]}: {args.folds}-fold span F1 {np.mean(f1s):.4f} ({' '.join(f'{x:.3f}' for x in f1s)}) "
              f"({time.time() - t0:.0f}s)", file=sys.stderr)
        if np.mean(f1s) > best_f1:
            best, best_f1 = c, float(np.mean(f1s))
    if args.cv_only:
        return 0
    crf_out = Path(args.out).with_name(CRF_FILE)
    train((data[:-VALIDATION] if args.validation_model else data) + extra, crf_out, *best)
    meta = {
        "classes": list(CLASSES), "c1": best[0], "c2": best[1],
        "trained_on": f"GermEval 2014 dev sentences 0..{GERMEVAL_SPLIT - 1}"
                      + (f" + Europarl sentences 0..{EUROPARL_TRAIN - 1}" if args.europarl else ""),
        "lexicon": lex,
        "contexts": ctx,
        "first_names": first,
        "name_shape": shape,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as fh:
        fh.write(json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    print(f"c1,c2={best} -> {crf_out} ({crf_out.stat().st_size} bytes), {out} ({out.stat().st_size} bytes)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
