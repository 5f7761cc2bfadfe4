"""Scoring of HTML main-text extraction on the two public benchmark sets.

Used by ``benchmarks/extraction.py`` and the evaluation gate in ``tests/test_extraction_gate.py``,
so both measure exactly the same thing.

* ScrapingHub Article Extraction Benchmark: the benchmark's own metric (its ``evaluate.py``): texts
  are tokenised with ``\\w+``, split into 4-token shingles, and per page the shingle counts give
  TP/FP/FN, normalised by their sum so long pages do not weigh more. Precision is the mean of the
  per-page precisions (pages with TP+FP > 0), recall the mean of per-page recalls (pages with
  TP+FN > 0), and F1 = 2PR/(P+R).
* trafilatura evaluation pages: snippet scoring as in trafilatura's ``tests/comparison.py``: a
  ``with`` snippet contained in the output is a true positive (else a false negative), a ``without``
  snippet contained is a false positive (else a true negative); P/R/F1 over all snippets of all pages.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SETS = ("scrapinghub", "trafilatura")
_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Item:
    """One benchmark page: raw bytes as fetched, and its gold annotation."""

    id: str
    url: str | None
    html: bytes
    gold: dict


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


# --------------------------------------------------------------------------- data

def load_set(data_dir: Path, name: str, limit: int | None = None) -> list[Item]:
    """The pages of one set (``scrapinghub`` or ``trafilatura``) under ``data_dir`` (../shared/data)."""
    root = Path(data_dir) / "extraction"
    if name == "scrapinghub":
        return list(_scrapinghub(root / "scrapinghub", limit))
    if name == "trafilatura":
        return list(_trafilatura(root / "trafilatura-dev", limit))
    raise ValueError(f"unknown set {name!r}; known: {', '.join(SETS)}")


def _scrapinghub(root: Path, limit: int | None) -> Iterator[Item]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for n, key in enumerate(sorted(truth)):
        if limit is not None and n >= limit:
            return
        html = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        yield Item(key, truth[key].get("url"), html, truth[key])


def _trafilatura(root: Path, limit: int | None) -> Iterator[Item]:
    truth = json.loads((root / "evaldata-dev.json").read_text(encoding="utf-8"))
    for n, url in enumerate(sorted(truth)):
        if limit is not None and n >= limit:
            return
        html = gzip.decompress((root / "pages" / f"{truth[url]['file']}.gz").read_bytes())
        yield Item(url, url, html, truth[url])


# --------------------------------------------------------------------------- ScrapingHub metric

def _shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def shingle_counts(true: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """Per-page (tp, fp, fn) over 4-token shingles, normalised to sum 1 (as the benchmark does)."""
    t, p = _shingles(true, n), _shingles(pred, n)
    tp = fp = fn = 0.0
    for key in t.keys() | p.keys():
        a, b = t.get(key, 0), p.get(key, 0)
        tp += min(a, b)
        fp += max(0, b - a)
        fn += max(0, a - b)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def scrapinghub_scores(counts: list[tuple[float, float, float]]) -> Scores:
    """Macro P/R over pages, F1 from them (the benchmark's ``metrics_from_tp_fp_fns``)."""
    ps = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    rs = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)


# --------------------------------------------------------------------------- snippet metric

def snippet_counts(gold: dict, pred: str | None) -> tuple[int, int, int, int]:
    """(tp, fn, fp, tn) of one page's ``with``/``without`` snippets against the output."""
    if not isinstance(pred, str):
        return 0, len(gold["with"]), 0, len(gold["without"])
    tp = sum(1 for s in gold["with"] if s in pred)
    fp = sum(1 for s in gold["without"] if s in pred)
    return tp, len(gold["with"]) - tp, fp, len(gold["without"]) - fp


def snippet_scores(counts: list[tuple[int, int, int, int]]) -> Scores:
    tp = sum(c[0] for c in counts)
    fn = sum(c[1] for c in counts)
    fp = sum(c[2] for c in counts)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)


# --------------------------------------------------------------------------- one call

def page_counts(set_name: str, item: Item, pred: str | None) -> tuple:
    if set_name == "scrapinghub":
        return shingle_counts(item.gold.get("articleBody", ""), pred or "")
    return snippet_counts(item.gold, pred)


def score(set_name: str, counts: list[tuple]) -> Scores:
    return scrapinghub_scores(counts) if set_name == "scrapinghub" else snippet_scores(counts)
