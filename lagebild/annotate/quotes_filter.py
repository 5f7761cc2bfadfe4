"""Learned confidence of reported speech found by the rules, to drop the unlikely ones.

The rules find many reporting verbs whose clause is no statement ("Er nannte als Beispiel …" is
one, "Die Polizei nannte keine Zahlen" often is not annotated as one), and subjunctive sentences
that carry no one's speech. A logistic model over cheap string features of each indirect, reported,
free indirect or partial quote (its form, the cue's lemma, the source's first word, the message's
first word and length, subjunctive forms in it, where the cue sits) gives the chance that the quote
is a speech event of SpkAtt news with that speaker; below the model's threshold the quote is dropped.
Direct quotes (quotation marks), partial quotes nested in another quote, and statements whose
source is the speaker's own "ich", "wir" or "man" (speeches and interviews, where news training
data has few of them) are never dropped, nor are impersonal reports with a cue and no source ("Im
Urteil wurde festgestellt, dass …"), which the rules admit only with a clear content clause.
Trained by ``scripts/train_quotes.py`` on the tuning part of SpkAtt news; weights in
``annotate/data/quotes_filter_<lang>.json``; no file for a language: nothing is dropped.
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import repeat

from lagebild.annotate.quotes_lexicon import Lexicon, read_weights
from lagebild.document import Quote

FILTERED_FORMS = ("indirect", "reported", "free_indirect", "partial")


@lru_cache(maxsize=None)
def load_filter(language: str) -> dict | None:
    return read_weights(f"quotes_filter_{language}.json")


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-6" if n < 7 else "7-12" if n < 13 else "13-25" if n < 26 else "26+"


def _word_class(word: str, lex: Lexicon) -> str:
    low = word.lower()
    if low in lex.cues.get("pronouns", {}) or low in lex.words("determiners") or not word[:1].isupper():
        return low
    return "CAP"


def voice(text: str, lex: Lexicon) -> str:
    """How much the document speaks in the first person ("ich", "wir"): a speech or interview reads
    differently from a news report, and the filter is trained on both (SpkAtt news and Bundestag)."""
    words = text.lower().split()
    self_words = lex.words("self_words")
    own = sum(map(self_words.__contains__, words))   # a count without a Python step per word
    rate = own / max(1, len(words))
    return "0" if rate == 0 else "low" if rate < 0.005 else "mid" if rate < 0.015 else "high"


def features(text: str, q: Quote, info: dict, lex: Lexicon, doc_voice: str = "0") -> list[str]:
    """String features of one quote (their weights are summed)."""
    form = info.get("form") or q.kind
    msg = text[q.start:q.end]
    words = msg.split()
    n = len(words)
    first = words[0] if words else ""
    f = [f"form={form}", f"len={form}:{_bucket(n)}", f"first={form}:{_word_class(first, lex)}",
         f"last={msg[-1:]}", f"has_cue={form}:{q.cue is not None}"]
    strong = lex.words("strong_subjunctive")
    weak = lex.words("subjunctive")
    subj = sum(1 for w in words if w.lower() in strong)
    f.append(f"subj={form}:{min(subj, 2)}")
    f.append(f"weak={form}:{min(sum(1 for w in words if w.lower() in weak), 2)}")
    f.append(f"marks={form}:{min(sum(1 for ch in msg if ch in '„“”»«'), 2)}")
    if q.cue:
        head = q.cue.split()[0]
        lemma = lex.verb_forms.get(head, head)
        f += [f"cue={form}:{q.cue}", f"lemma={form}:{lemma}", f"lemma={lemma}"]
        if q.cue_start is not None:
            side = "before" if q.cue_end <= q.start else "after" if q.cue_start >= q.end else "inside"
            f.append(f"cue_side={form}:{side}")
    src = info.get("source")
    if src is None:
        f.append(f"src=none:{form}")
    else:
        s_words = text[src[0]:src[1]].split()
        f += [f"src_first={form}:{_word_class(s_words[0], lex) if s_words else ''}",
              f"src_len={_bucket(len(s_words))}", f"src_side={'before' if src[1] <= q.start else 'after' if src[0] >= q.end else 'inside'}"]
        if s_words:
            f.append(f"src_suf={s_words[-1].lower()[-4:]}")
    # no feature of the resolved actor: the model is trained without the actor stages (as the gate runs)
    before = text[max(0, q.start - 12):q.start].split()
    after = text[q.end:q.end + 12].split()
    f += [f"before={form}:{before[-1].lower() if before else '<s>'}", f"after={form}:{after[0].lower() if after else '</s>'}",
          f"commas={form}:{min(msg.count(','), 3)}",
          f"own={form}:{any(w.lower() in lex.words('self_words') for w in words)}"]
    if q.cue:
        f.append(f"lemma_first={lemma}:{_word_class(first, lex)}")
        if src is not None and s_words:
            f.append(f"lemma_src={lemma}:{_word_class(s_words[0], lex)}")
    f.append(f"voice={doc_voice}")
    register = "S" if doc_voice in ("mid", "high") else "N"   # speech-like or report-like: separate weights
    return [f"{register}:{x}" for x in f]


def probability(model: dict, feats: list[str]) -> float:
    w = model["weights"]
    z = model["bias"] + sum(map(w.get, feats, repeat(0.0)))   # the same sum, no Python step per feature
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def nested_flags(quotes: list[Quote]) -> list[bool]:
    """Whether each quote lies inside another (a partial quote in reported speech)."""
    spans = [(q.start, q.end) for q in quotes if q.kind != "scare"]
    return [any(a <= q.start and q.end <= b and (a, b) != (q.start, q.end) for a, b in spans) for q in quotes]


def _self_source(text: str, info: dict, lex: Lexicon) -> bool:
    src = info.get("source")
    return src is not None and text[src[0]:src[1]].strip().lower() in lex.words("stance_pronouns")


def keep_flags(text: str, quotes: list[Quote], infos: list[dict], lex: Lexicon, doc_voice: str | None = None) -> list[bool]:
    """Which quotes to keep (all of them without a model for the language)."""
    model = load_filter(lex.language)
    if model is None:
        return [True] * len(quotes)
    threshold = model.get("threshold", 0.5)
    nested = nested_flags(quotes)
    doc_voice = doc_voice or voice(text, lex)
    out = []
    for q, info, inner in zip(quotes, infos, nested):
        form = info.get("form") or q.kind
        if q.kind == "scare" or form not in FILTERED_FORMS or inner or _self_source(text, info, lex) \
                or info.get("source") is None and q.cue is not None:
            out.append(True)
            continue
        out.append(probability(model, features(text, q, info, lex, doc_voice)) >= threshold)
    return out
