"""Learned choice of a cue's source phrase among the noun phrases of its sentence.

The rules of ``quotes_cues`` pick one phrase next to a reporting verb; word order alone often misleads
them ("Als Grund nannte die NASA, …" takes "Grund"; "Bereits während seiner Amtszeit warnte Kluncker"
takes "seiner Amtszeit"). Here every noun phrase or pronoun near the cue is a candidate, described by
cheap string features (side and distance to the cue, commas between, the words around it, its first
word, whether the rules chose it), and a linear model trained on SpkAtt news
(``scripts/train_quotes.py``, weights in ``annotate/data/quotes_speaker_<lang>.json``) scores them.
The best candidate replaces the rule's choice when it scores clearly higher. No model file for a
language: the rules' choice stands.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import repeat

from lagebild.annotate.quotes_cues import QUOTE_CHARS, Cue
from lagebild.annotate.quotes_lexicon import Lexicon, read_weights
from lagebild.annotate.quotes_speaker import Word, is_pronoun, np_at

WINDOW_BEFORE = 14   # words before the cue searched for a source
WINDOW_AFTER = 10    # and after it
RERANK_KINDS = ("verb", "as")


@lru_cache(maxsize=None)
def load_model(language: str) -> dict | None:
    """The weights for ``language`` ({"bias", "margin", "weights"}) or None."""
    return read_weights(f"quotes_speaker_{language}.json")


def candidates(words: list[Word], cue: Cue, lex: Lexicon, masked: list[bool]) -> list[tuple[int, int]]:
    """Noun phrases (a greedy left-to-right cut) and pronouns around the cue, plus the rules' choice."""
    n = len(words)
    lo, hi = max(0, cue.i - WINDOW_BEFORE), min(n, cue.j + 1 + WINDOW_AFTER)
    out: list[tuple[int, int]] = []
    k = lo
    while k < hi:
        if masked[k] or cue.i <= k <= cue.j or not words[k].alpha:
            k += 1
            continue
        np = np_at(words, k, lex, cue.i if k < cue.i else n)
        if np is None or any(masked[x] for x in range(np[0], np[1])):
            k += 1
            continue
        out.append(np)
        k = max(np[1], k + 1)
    if cue.src is not None and cue.src not in out:
        out.append(cue.src)
    return out


def _shape(w: Word) -> str:
    if w.text in QUOTE_CHARS:
        return "Q"
    if not w.alpha:
        return w.text if len(w.text) == 1 else "D" if w.text[:1].isdigit() else "P"
    return "C" if w.cap else "l"


def _bucket(d: int) -> str:
    return str(d) if d < 3 else "3-5" if d < 6 else "6-10" if d < 11 else "11+"


def features(words: list[Word], cue: Cue, cand: tuple[int, int], lex: Lexicon) -> list[str]:
    """String features of one candidate (their weights are summed)."""
    a, b = cand
    n = len(words)
    if b <= cue.i:
        side, gap = "B", range(b, cue.i)
    elif a > cue.j:
        side, gap = "A", range(cue.j + 1, a)
    else:
        side, gap = "I", range(cue.i + 1, a) if a > cue.i else range(0)
    dist = len(gap)
    commas = sum(1 for x in gap if words[x].text in {",", ":", "–", "—", ";"})
    ends = sum(1 for x in gap if words[x].text in {".", "!", "?"})
    first, last = words[a], words[b - 1]
    prev = words[a - 1].low if a > 0 else "<s>"
    nxt = words[b].low if b < n else "</s>"
    pron = is_pronoun(first, lex) and b - a == 1
    cue_low = words[cue.i].low
    inf = lex.verb_forms.get(cue_low, cue_low)
    fcls = "PRON:" + first.low if pron else first.low if not first.cap or first.low in lex.words("determiners") else "CAP"
    f = [
        f"side={side}", f"dist={side}{_bucket(dist)}", f"commas={side}{min(commas, 2)}", f"ends={min(ends, 1)}",
        f"first={fcls}", f"side_first={side}:{fcls}", f"prev={prev}", f"side_prev={side}:{prev}",
        f"next={nxt}", f"side_next={side}:{nxt}", f"len={_bucket(b - a)}", f"pron={pron}",
        f"last_suf={last.low[-3:]}", f"kind={cue.kind}", f"rule={cue.src == cand}",
        f"rule_side={cue.src == cand}:{side}", f"start={a == 0}", f"side_start={side}:{a == 0}",
        f"cue_inf={inf}:{side}", f"adjacent={side}:{dist == 0}", f"prevshape={side}:{_shape(words[a - 1]) if a else '<s>'}",
        f"cue_first={cue.i == 0}", f"lastcap={last.cap}",
    ]
    f += [f"prev_prep={side}:{prev in lex.words('prepositions')}",
          f"oblique={side}:{first.low in lex.words('oblique_determiners') or first.low in lex.words('oblique_pronouns')}",
          f"comma_before={side}:{a > 0 and words[a - 1].text == ','}:{nxt == ','}"]
    if cue.msg is not None:
        m0, m1 = cue.msg
        f.append(f"in_msg={m0 <= a < m1}")
    return f


def score(model: dict, feats: list[str]) -> float:
    w = model["weights"]
    return model["bias"] + sum(map(w.get, feats, repeat(0.0)))   # the same sum, no Python step per feature


def rerank(cues: list[Cue], words: list[Word], lex: Lexicon, masked: list[bool]) -> list[Cue]:
    """The cues with their source replaced by the model's best candidate (when a model exists)."""
    model = load_model(lex.language)
    if model is None:
        return cues
    margin = model.get("margin", 0.0)
    for c in cues:
        if c.kind not in RERANK_KINDS or c.src is None:
            continue
        cands = candidates(words, c, lex, masked)
        if len(cands) < 2:
            continue
        scored = [(score(model, features(words, c, x, lex)), x) for x in cands]
        best_s, best = max(scored)
        rule_s = next(s for s, x in scored if x == c.src)
        if best != c.src and best_s > rule_s + margin:
            c.src = best
    return cues
