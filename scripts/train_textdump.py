#!/usr/bin/env python3
"""Train the text-dump line model from ../shared/data/textdump and ship it in the package.

    python scripts/train_textdump.py [--data ../shared/data] [--cv 5] [--out lagebild/extract/data/textdump_model.npz]

The shipped model is trained on every labelled page of both datasets. ``--cv K`` first prints
honest figures: K-fold cross-validation grouped by page and leave-one-dataset-out (char-weighted
F1 of ``main``, the metric of score_textdump.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lagebild.extract import textdump_train as T  # noqa: E402
from lagebild.extract.textdump_model import MODEL_FILE  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.environ.get("LAGEBILD_SHARED_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--cv", type=int, default=0, help="also report K-fold grouped CV and leave-one-dataset-out")
    ap.add_argument("--out", default=str(ROOT / "lagebild" / "extract" / "data" / MODEL_FILE))
    a = ap.parse_args()

    t0 = time.time()
    pages = T.load_pages(Path(a.data))
    print(f"{len(pages)} pages, {sum(len(p.lines) for p in pages)} lines, features in {time.time() - t0:.1f}s")
    if a.cv:
        oof = T.cross_val_scores(pages, k=a.cv, workers=a.cv)
        lodo = T.leave_one_dataset_out(pages, workers=2)
        for name in T.DATASETS:
            ps = [p for p in pages if p.dataset == name]
            cv = T.char_f1(ps, {p.id: oof[p.id] >= 0.5 for p in ps})
            lo = T.char_f1(ps, {p.id: lodo[p.id] >= 0.5 for p in ps})
            print(f"{name:<16} {a.cv}-fold CV F1 {cv:.4f}   leave-one-dataset-out F1 {lo:.4f}")
    model = T.fit(pages)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    model.save(a.out)   # plain tree arrays: run time needs no scikit-learn
    print(f"wrote {a.out} ({Path(a.out).stat().st_size / 1024:.0f} KiB) in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
