"""Loading the PTC corpus (SemEval-2020 Task 11) and scoring span identification and technique labels.

``si_score`` follows the official task-SI scorer: gold spans of an article are merged where they
overlap, the submission's spans must not overlap (they are merged here too), and for every pair of
a predicted span s and a gold span t of the same article the character overlap adds |s∩t|/|s| to
precision and |s∩t|/|t| to recall; the sums are divided by the number of predicted and gold spans.
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

#: PTC technique names -> the contract's snake_case names.
PTC_NAMES = {
    "Loaded_Language": "loaded_language",
    "Name_Calling,Labeling": "name_calling",
    "Repetition": "repetition",
    "Doubt": "doubt",
    "Exaggeration,Minimisation": "exaggeration",
    "Appeal_to_fear-prejudice": "appeal_to_fear",
    "Flag-Waving": "flag_waving",
    "Causal_Oversimplification": "causal_oversimplification",
    "Appeal_to_Authority": "appeal_to_authority",
    "Slogans": "slogans",
    "Whataboutism,Straw_Men,Red_Herring": "whataboutism",
    "Black-and-White_Fallacy": "black_and_white",
    "Thought-terminating_Cliches": "thought_terminating_cliches",
    "Bandwagon,Reductio_ad_hitlerum": "bandwagon",
}

Spans = dict[str, list[tuple[int, int]]]


@dataclass
class Fragment:
    article: str
    start: int
    end: int
    technique: str   # snake_case, or "?" when unknown


def read_articles(folder: Path) -> dict[str, str]:
    """article id -> text (offsets of the labels count characters of this text)."""
    out = {}
    for p in sorted(folder.glob("article*.txt")):
        out[p.stem.removeprefix("article")] = p.read_text(encoding="utf-8")
    return out


def read_fragments(path: Path) -> list[Fragment]:
    """Task-2 labels (``id technique start end``) or the dev template (technique ``?``)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 4:
            aid, tech, s, e = parts
            out.append(Fragment(aid, int(s), int(e), PTC_NAMES.get(tech, tech)))
        elif len(parts) == 3:
            aid, s, e = parts
            out.append(Fragment(aid, int(s), int(e), "?"))
    return out


def is_heldout(article_id: str) -> bool:
    """The fixed held-out tenth of train: by a hash of the article id, never by chance."""
    return zlib.crc32(article_id.encode()) % 10 == 0


def group_spans(frags: list[Fragment]) -> Spans:
    out: Spans = {}
    for f in frags:
        out.setdefault(f.article, []).append((f.start, f.end))
    return out


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge spans that share at least one character (as the official scorer does)."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def si_score(pred: Spans, gold: Spans) -> dict[str, float]:
    """Precision, recall, F1 of span identification (SemEval-2020 Task 11 SI)."""
    gold_m = {a: merge_spans(v) for a, v in gold.items()}
    pred_m = {a: merge_spans(v) for a, v in pred.items()}
    p_den = sum(len(v) for v in pred_m.values())
    r_den = sum(len(v) for v in gold_m.values())
    p_num = r_num = 0.0
    for aid, spans in pred_m.items():
        g = gold_m.get(aid, [])
        for s, e in spans:
            for gs, ge in g:
                inter = min(e, ge) - max(s, gs)
                if inter > 0:
                    p_num += inter / (e - s)
                    r_num += inter / (ge - gs)
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    f1 = 1.0 if p_den == 0 and r_den == 0 else (2 * p * r / (p + r) if p > 0 and r > 0 else 0.0)
    return {"precision": p, "recall": r, "f1": f1, "pred_spans": p_den, "gold_spans": r_den}


def tc_score(gold: list[str], pred: list[str]) -> dict[str, object]:
    """Micro-F1 (= accuracy when every fragment gets one label) and per-technique P/R/F1."""
    n = len(gold)
    correct = sum(g == p for g, p in zip(gold, pred))
    per: dict[str, dict[str, float]] = {}
    gc, pc = Counter(gold), Counter(pred)
    tp = Counter(g for g, p in zip(gold, pred) if g == p)
    for t in sorted(set(gold) | set(pred)):
        prec = tp[t] / pc[t] if pc[t] else 0.0
        rec = tp[t] / gc[t] if gc[t] else 0.0
        f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[t] = {"precision": prec, "recall": rec, "f1": f, "support": gc[t]}
    return {"micro_f1": correct / n if n else 0.0, "n": n, "per_technique": per}
