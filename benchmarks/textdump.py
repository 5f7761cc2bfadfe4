#!/usr/bin/env python3
"""Text-dump benchmark: char-weighted F1 of ``main`` with ../shared/tools/score_textdump.py.

    python benchmarks/textdump.py [--limit N] [--folds 5] [--no-cv]

Rows per dataset, all scored by the official scorer in the same run:
* ``lagebild (CV)``   — K-fold cross-validation grouped by page: every page is predicted by a model
                        that never saw it (the honest figure);
* ``lagebild (LODO)`` — trained only on the other dataset;
* ``lagebild (shipped)`` — the shipped model, trained on all pages (a train-set figure, for reference);
* baselines ``keep all`` and ``keep lines of 80+ chars`` (the best published baseline).
Speed: lines/s of ``classify_lines`` with the shipped model. JSON to benchmarks/results/textdump.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from lagebild.extract import textdump_train as T  # noqa: E402
from lagebild.extract.textdump import classify_lines  # noqa: E402

SHARED = Path(os.environ.get("LAGEBILD_SHARED", ROOT.parent / "shared"))
SCORER = SHARED / "tools" / "score_textdump.py"
PUBLISHED = {"scrapinghub": {"keep all": 0.706, "80+ chars": 0.831, "jusText": 0.827},
             "trafilatura-dev": {"keep all": 0.902, "80+ chars": 0.925, "jusText": 0.915}}


def score(dataset: Path, keep: dict[str, list[bool]], ids: list[str]) -> dict:
    """Run the official scorer on predictions for the pages in ``ids``."""
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        data = Path(tmp) / "data.jsonl"
        wanted = set(ids)
        with open(data, "w", encoding="utf-8") as out:
            for rec in T.read_jsonl(dataset):
                if str(rec["id"]) in wanted:
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        with open(pred, "w", encoding="utf-8") as out:
            for pid in ids:
                out.write(json.dumps({"id": pid, "keep": [bool(k) for k in keep[pid]]}) + "\n")
        res = subprocess.run([sys.executable, str(SCORER), str(data), str(pred), "--json"],
                             capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="use only the first N pages of each dataset")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-cv", action="store_true", help="skip the (slow) retraining rows")
    ap.add_argument("--jobs", type=int, default=5, help="worker processes for the retraining folds")
    a = ap.parse_args()

    data_dir = SHARED / "data"
    pages = []
    for name in T.DATASETS:
        ps = T.load_pages(data_dir, (name,))
        pages += ps[: a.limit] if a.limit else ps

    rows: dict[str, dict[str, dict]] = {name: {} for name in T.DATASETS}
    predictions: dict[str, dict[str, list[bool]]] = {}
    if not a.no_cv:
        oof = T.cross_val_scores(pages, k=a.folds, workers=a.jobs)
        predictions[f"lagebild ({a.folds}-fold CV)"] = {pid: list(p >= 0.5) for pid, p in oof.items()}
        lodo = T.leave_one_dataset_out(pages, workers=a.jobs)
        predictions["lagebild (LODO)"] = {pid: list(p >= 0.5) for pid, p in lodo.items()}

    shipped: dict[str, list[bool]] = {}
    n_lines = 0
    t0 = time.perf_counter()
    for p in pages:
        shipped[p.id] = [lab == "main" for lab in classify_lines(p.lines)]
        n_lines += len(p.lines)
    speed = n_lines / (time.perf_counter() - t0)
    predictions["lagebild (shipped, trained on all)"] = shipped
    predictions["keep all"] = {p.id: [True] * len(p.lines) for p in pages}
    predictions["keep 80+ chars"] = {p.id: [len(s) >= 80 for s in p.lines] for p in pages}

    for name in T.DATASETS:
        ids = [p.id for p in pages if p.dataset == name]
        for system, keep in predictions.items():
            rows[name][system] = score(SHARED / "data" / T.DATASETS[name], keep, ids)

    table = Table(title=f"text dumps: char-weighted F1 of main ({len(pages)} pages, score_textdump.py)")
    table.add_column("system")
    for name in T.DATASETS:
        table.add_column(f"{name} F1", justify="right")
        table.add_column("P / R", justify="right")
    for system in predictions:
        cells = []
        for name in T.DATASETS:
            c = rows[name][system]["chars"]
            cells += [f"{c['f1']:.3f}", f"{c['precision']:.3f} / {c['recall']:.3f}"]
        table.add_row(system, *cells)
    table.add_row("published best baseline (80+ chars)",
                  f"{PUBLISHED['scrapinghub']['80+ chars']:.3f}", "", f"{PUBLISHED['trafilatura-dev']['80+ chars']:.3f}", "")
    Console().print(table)
    Console().print(f"speed: {speed:,.0f} lines/s (classify_lines, shipped model, one process)")

    out = ROOT / "benchmarks" / "results" / "textdump.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "pages": len(pages), "folds": a.folds, "lines_per_s": round(speed, 1),
        "f1_chars": {name: {s: round(r["chars"]["f1"], 4) for s, r in rows[name].items()} for name in rows},
        "scores": rows, "published_baselines": PUBLISHED,
    }, indent=1), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
