"""Full-system cross-validation of the German name recogniser on the GermEval training sentences.

Why: ``train_ner.py`` cross-validates the CRF alone, but what users get is the whole mentions stage
(KB matches, the CRF, recall decoding, acronym rule, span fixes). This script trains a CRF on k-1
folds of sentences [0, 1760), plugs it into the mentions stage and scores the left-out fold with the
benchmark's own scorer, for each decoding setting given. The held-out sentences [1760, 2200) are
never read. The thresholds ``NAME_P`` and ``ACRONYM_ORG_P`` of ``mentions_ner.py`` were chosen with it.

Usage: python scripts/cv_ner.py [--name-p 1.0,0.35,0.3] [--acronym-p 0.15] [--c1 0.1 --c2 0.2] [--folds 4]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_ner  # noqa: E402

from lagebild.annotate import mentions_ner  # noqa: E402
from lagebild.annotate.mentions_eval import GERMEVAL_SPLIT, evaluate, read_germeval  # noqa: E402
from lagebild.annotate.mentions_name_shape import NameShape  # noqa: E402
from lagebild.annotate.mentions_ner_features import Lexicons, person_gazetteer  # noqa: E402
from lagebild.pipeline import Pipeline  # noqa: E402

TYPES = ("PER", "LOC", "ORG")


def f1(d: dict[str, int]) -> float:
    return 2 * d["tp"] / max(1, 2 * d["tp"] + d["fp"] + d["fn"])


def cross_validate(data: list, sents: list, res: Lexicons, c: tuple[float, float], folds: int,
                   name_ps: list[float], acronym_p: float) -> dict[float, dict[str, dict[str, int]]]:
    """Counts (tp, fp, fn) overall and per type, summed over folds, for each recall threshold."""
    model = Path(tempfile.mkdtemp()) / "crf.bin"
    pipe = Pipeline.build("language,sentences,mentions,coref")
    out = {p: {k: {"tp": 0, "fp": 0, "fn": 0} for k in ("all", *TYPES)} for p in name_ps}
    for k in range(folds):
        lo, hi = len(data) * k // folds, len(data) * (k + 1) // folds
        train_ner.train(data[:lo] + data[hi:], model, *c)
        rec = mentions_ner.Recogniser({"lexicon": res.lex, "contexts": res.ctx, "first_names": res.first,
                                       "name_shape": res.shape.to_json()}, str(model))
        rec.acronym_p = acronym_p
        pipe.stages[2].ner = rec
        for p in name_ps:
            rec.name_p = p
            scores = evaluate(sents[lo:hi], pipe.annotate)
            for key, counts in out[p].items():
                for m in counts:
                    counts[m] += scores[key][m]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(train_ner.ROOT.parent / "shared" / "data"))
    ap.add_argument("--name-p", default="1.0,0.45,0.4,0.35,0.3", help="recall thresholds to compare (1.0 = off)")
    ap.add_argument("--acronym-p", type=float, default=mentions_ner.ACRONYM_ORG_P)
    ap.add_argument("--c1", type=float, default=None, help="default: the shipped model's")
    ap.add_argument("--c2", type=float, default=None)
    ap.add_argument("--folds", type=int, default=4)
    args = ap.parse_args()
    with gzip.open(train_ner.OUT, "rt", encoding="utf-8") as fh:
        shipped = json.load(fh)
    res = Lexicons(shipped["lexicon"], person_gazetteer(), shipped["contexts"], shipped["first_names"],
                   NameShape.from_json(shipped.get("name_shape")))
    c = (args.c1 if args.c1 is not None else shipped["c1"], args.c2 if args.c2 is not None else shipped["c2"])
    sents = read_germeval(Path(args.shared) / "ner" / "germeval2014" / "NER-de-dev.tsv")[:GERMEVAL_SPLIT]
    data = train_ner.labelled(sents, res)
    name_ps = [float(x) for x in args.name_p.split(",")]
    results = cross_validate(data, sents, res, c, args.folds, name_ps, args.acronym_p)
    print(f"{args.folds}-fold full-system CV on GermEval sentences 0..{GERMEVAL_SPLIT - 1}, c1={c[0]} c2={c[1]}, "
          f"acronym threshold {args.acronym_p}")
    for p, counts in results.items():
        a = counts["all"]
        prec, rec = a["tp"] / max(1, a["tp"] + a["fp"]), a["tp"] / max(1, a["tp"] + a["fn"])
        print(f"  name_p={p:<5} F1 {f1(a):.4f}  P {prec:.3f}  R {rec:.3f}  "
              + "  ".join(f"{t} {f1(counts[t]):.3f}" for t in TYPES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
