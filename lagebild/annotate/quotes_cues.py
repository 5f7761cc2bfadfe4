"""Cues of reported speech in one sentence, each with its source phrase and message span.

A cue is a reporting verb ("sagte", "teilte ... mit", "ließ ... verlauten", "said"), a source
preposition ("laut X", "nach Angaben von X", "X zufolge", "according to X"), ", so X", "wie X sagte"
or "heißt es". Word order decides where the source and the message are: "X sagte, dass M" (message
after), "M, sagte X" / "M, so X" (message before), "laut X M" (the rest of the sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress

from lagebild.annotate.quotes_lexicon import Lexicon
from lagebild.annotate.quotes_speaker import Word, is_pronoun, np_at, prefield_np

_CLAUSE_PUNCT = {",", ";", ":", "–", "—", "-"}   # a lone "-" token is a dash (transcripts write " - ")
_END_PUNCT = {".", "!", "?", "…"}
_ZU_INFINITIVE = re.compile(r"^(?:ab|an|auf|aus|bei|durch|ein|fest|fort|her|hin|los|mit|nach|um|vor|voran|weg|weiter|wieder|zurück|zusammen|dar|teil|statt|vorbei|hinzu|heraus|herbei|hervor|hinaus|entgegen)zu[a-zäöüß]{3,}en$")
QUOTE_CHARS = set("„“”»«‚‘’\"'›‹")


@dataclass(slots=True)
class Cue:
    """A cue found in a sentence. Word indexes are into the sentence's word list."""

    kind: str                         # verb | prep | so | as | says
    i: int                            # first cue word
    j: int                            # last cue word (the particle of a separable verb)
    src: tuple[int, int] | None       # source phrase word range
    msg: tuple[int, int] | None       # message word range
    form: str = "indirect"            # indirect | reported


def clause_start(words: list[Word], i: int) -> int:
    """Where the clause of word ``i`` starts: after a comma, colon or dash (quote marks inside a name
    such as die „Computerwoche“ do not end it; a mark right before ``i`` does: „…“ sagte er)."""
    if i > 0 and words[i - 1].text in QUOTE_CHARS:
        return i
    k = i
    while k > 0 and words[k - 1].text not in _CLAUSE_PUNCT:
        if words[k - 1].text in QUOTE_CHARS and k >= 2 and words[k - 2].text in _CLAUSE_PUNCT | _END_PUNCT:
            break   # a quote ending in punctuation: "…," Biden said
        k -= 1
    return k


def clause_end(words: list[Word], i: int) -> int:
    k = i
    while k < len(words) and words[k].text not in _CLAUSE_PUNCT and words[k].text not in _END_PUNCT \
            and words[k].text not in QUOTE_CHARS:
        k += 1
    return k


def _trim(words: list[Word], lo: int, hi: int) -> tuple[int, int] | None:
    while lo < hi and (words[lo].text in _CLAUSE_PUNCT or words[lo].text in _END_PUNCT):
        lo += 1
    while hi > lo and (words[hi - 1].text in _CLAUSE_PUNCT or words[hi - 1].text in _END_PUNCT):
        hi -= 1
    return (lo, hi) if hi - lo >= 2 else None


def _np_before(words: list[Word], k: int, lex: Lexicon) -> tuple[int, int] | None:
    """The phrase ending right before word ``k`` ("Angaben der Polizei zufolge")."""
    lo = clause_start(words, k)
    start = k
    while start > lo and k - start < 8 and words[start - 1].low not in lex.words("prepositions") \
            and not (words[start - 1].low in lex.verb_forms and not words[start - 1].cap):
        start -= 1
    return (start, k) if start < k else None


def _verb_cue(words: list[Word], idx: int, lex: Lexicon) -> Cue | None:
    w = words[idx]
    if not w.alpha or (lex.language == "de" and w.cap):
        return None
    last = idx
    if w.low not in lex.verb_forms:
        particles = lex.particle_of.get(w.low)
        if not particles:
            return None
        end = clause_end(words, idx + 1)
        if end - 1 <= idx or words[end - 1].low not in particles:
            return None
        last = end - 1
    n = len(words)
    cs = clause_start(words, idx)
    if words[cs].low not in lex.words("as_words") and last + 1 < n and words[last + 1].text == ",":
        for k in range(cs - 1, max(-1, cs - 25), -1):   # "Wie X, ein Sprecher, der Presse mitteilte, M"
            if words[k].low in lex.words("as_words") and (k == 0 or words[k - 1].text in _CLAUSE_PUNCT):
                src = np_at(words, k + 1, lex, idx)
                msg = _trim(words, last + 2, n)
                if src and msg:
                    return Cue("as", idx, last, src, msg)
                break
    # "wie X sagte, M" / "as X said, M"
    if words[cs].low in lex.words("as_words") and cs < idx:
        first = cs + 1
        while first < idx and (words[first].low in lex.words("prepositions")
                               or words[first].low in lex.words("prefield_adverbs")):
            first += 1   # "Wie schon die WHO sagte"
        src = np_at(words, first, lex, idx)
        ce = clause_end(words, last + 1)
        msg = _trim(words, ce, n) if cs == 0 else _trim(words, 0, cs)
        return Cue("as", idx, last, src, msg)
    src = None
    after = idx + 1
    while after < n and (words[after].low in lex.words("reflexives") or words[after].low in lex.words("prefield_adverbs")
                         and words[after].low not in lex.words("prepositions") and _weak_prefield(words, cs, idx, lex)):
        after += 1   # "Das erklärte gestern ein Sprecher"
    vend = idx   # the prefield ends at the finite verb: an auxiliary in second position ("das muss man sagen")
    if lex.language == "de" and words[cs].low not in lex.words("subordinators"):
        vend = next((a for a in range(cs + 1, idx) if words[a].low in lex.words("auxiliaries")), idx)
    pre = prefield_np(words, cs, vend, lex) if cs < idx else None
    sub = cs + 1 if cs + 1 < idx and words[cs].low in lex.words("prefield_adverbs") else cs   # "auch wenn"
    if sub + 1 < idx and (words[sub].low in lex.words("subordinators") or words[sub].low in lex.words("relative_pronouns")
                          and is_pronoun(words[sub + 1], lex)):
        src = _clause_subject(words, sub + 1, idx, lex)   # "wenn ich sage, dass", "weil jeder weiß, dass"
    if cs == idx and cs >= 2 and words[cs - 1].text == ",":
        rel = clause_start(words, cs - 1)
        if rel >= 2 and words[rel].low in lex.words("relative_pronouns") and words[rel - 1].text == ",":
            head = clause_start(words, rel - 1)   # "Jimmy Carter, der ... war, sagte Reportern, dass"
            src = np_at(words, head, lex, rel - 1)
    if src is None and after < n and lex.language == "de" and is_pronoun(words[after], lex) \
            and lex.cues["pronouns"].get(words[after].low) != "none":
        src = (after, after + 1)   # "Der Politik schlug er vor": a pronoun after the verb is the subject
    if src is None and after < n and (pre is None or _weak_prefield(words, cs, idx, lex) or _adverbial(words, pre, lex)):
        while after + 1 < n and lex.language == "de" and not words[after].cap and \
                words[after].low in lex.words("prefield_adverbs") and words[after].low not in lex.words("prepositions"):
            after += 1   # "Nach X kündigte heute der Präsident an": an adverb before the subject
        nxt = words[after]
        if is_pronoun(nxt, lex) or nxt.low in lex.words("determiners") or nxt.cap:
            src = np_at(words, after, lex, last if last > idx else None)
    if src is None and cs < idx:
        src = prefield_np(words, cs, vend, lex)
        if src and lex.language == "de" and _weak_prefield(words, cs, idx, lex):
            src = None
    if src is None and cs < idx:   # "Am Freitag hatte X ... erklärt": subject after the auxiliary
        for a in range(cs, idx):
            if words[a].low in lex.words("auxiliaries") and not words[a].cap:
                src = np_at(words, a + 1, lex, idx)
                if src is None:   # "Auch einige Parteien haben angekündigt"
                    lo = cs
                    while lo < a and words[lo].low in lex.words("prefield_adverbs"):
                        lo += 1
                    src = prefield_np(words, lo, a, lex)
                break
    finite_first = cs == idx or lex.language == "de" and cs < idx and words[cs].low in lex.words("auxiliaries")
    if src is None and finite_first and cs >= 2 and words[cs - 1].text == ",":   # "X, der Chef, sagte/hat … gesagt, ..."
        pcs = clause_start(words, cs - 1)
        if pcs >= 2 and words[pcs].low in lex.words("relative_pronouns") and words[pcs - 1].text == ",":
            pcs = clause_start(words, pcs - 1)   # "Die Organisation, die ... ausübt, erklärte, ..."
        elif pcs >= 2 and words[pcs - 1].text == ",":   # "Frank Biermann, Vorsitzender der X, sagte"
            head = clause_start(words, pcs - 1)
            first = np_at(words, head, lex, pcs - 1)
            if first and first[1] == pcs - 1:
                pcs = head
        app = np_at(words, pcs, lex, clause_end(words, pcs))
        if app and pcs < cs - 1 and (app[1] == clause_end(words, pcs) or words[pcs].cap):
            src = app
    if src is None and lex.language == "de" and idx >= 3 and words[idx - 1].low in ("und", "sowie") \
            and words[0].low not in lex.words("prepositions") and words[0].low not in lex.words("prefield_adverbs"):
        first = np_at(words, 0, lex, idx - 1)   # "X dankte den Menschen und ergänzte, M": the sentence's subject
        if first and first[1] < idx - 1 and (words[first[1]].text == "," or words[first[1]].alpha
                                              and not words[first[1]].cap):
            src = first
    if src and src[1] - src[0] == 1 and words[src[0]].low in lex.words("expletives"):
        src = None   # "es drohe ...", "es heißt": no speaker
    tail_from = max(last, src[1] - 1 if src and src[0] > idx else idx) + 1
    # message after: "X sagte, dass M" / "X sagte: M" / "X said (that) M"
    k = tail_from
    if lex.language == "de" and k < n and words[k].text not in QUOTE_CHARS:
        while k < n and words[k].text not in _CLAUSE_PUNCT and words[k].text not in _END_PUNCT:
            k += 1   # "ließ Kim verlauten – Worte, die …" ends at the dash
    if k < n and words[k].text in {",", ":"}:
        msg = _trim(words, k + 1, n)
        if msg and (words[k].text == ":" or _is_complement(words, msg, lex)
                    or k - tail_from <= 1 and _opinion_clause(words, msg, _infinitive(words, idx, last, lex), lex)):
            return Cue("verb", idx, last, src, msg)
    if lex.language == "en" and k < n and words[k].text not in _END_PUNCT and words[k].text not in QUOTE_CHARS:
        that = next((t for t in range(k, min(n, k + 6)) if words[t].low == "that"), None)
        lo = that + 1 if that is not None else k   # "said on Tuesday that M"
        msg = _trim(words, lo, n)
        if msg and msg[1] - msg[0] >= (2 if that is not None else 4) and src:
            return Cue("verb", idx, last, src, msg)
    # message before: "M, sagte X" / "M", sagte X — unless M is the subject's apposition and the phrase
    # after the verb its object: "Der Bürgermeister, Henning Scherf, warnte die CDU vor …"
    if lex.language == "de" and cs == idx and src and src[0] > idx and src[1] < n \
            and words[src[1]].text not in _END_PUNCT | _CLAUSE_PUNCT and words[cs - 1].text == ",":
        pcs = clause_start(words, cs - 1)
        head = np_at(words, pcs, lex, cs - 1)
        if head and head[1] == cs - 1 and (pcs == 0 or words[pcs - 1].text == ","):
            first = clause_start(words, pcs - 1) if pcs >= 2 else pcs
            whole = np_at(words, first, lex, pcs - 1) if first < pcs else None
            return Cue("verb", idx, last, whole if whole and whole[1] == pcs - 1 else head, None)
    if cs > 0 and src and words[cs - 1].text not in {"(", ")", ";"} and \
            (cs == idx or lex.language == "en" and src[0] == cs and src[1] == idx):
        msg = _trim(words, 0, cs)
        if msg and lex.language == "de" and _only_names(words, msg[0], cs - 1, lex):
            return Cue("verb", idx, last, (msg[0], cs - 1), None)   # "X, Chef der Y, sagte": the subject
        return Cue("verb", idx, last, src, msg)
    if src and _not_agent(words, cs, max(k, last + 1), src, lex):
        return Cue("verb", idx, last, src, None)   # passive or oblique: the phrase found is not the speaker
    # reported speech act: "Außerdem forderte er ein Lösegeld." (the sentence is the message)
    if src and lex.verb_forms.get(w.low) in _derived(lex)[1] \
            or src and last > idx and lex.verb_forms.get(words[last].low + w.low) in lex.words("reported_particle_verbs"):
        if not _weak_prefield(words, cs, idx, lex) and (k >= n or words[k].text in _END_PUNCT | {","}):
            lo = src[1] if src[0] == cs else cs
            msg = _trim(words, lo, n if k < n and words[k].text == "," else k)
            if msg and msg[1] - msg[0] >= 3:
                return Cue("verb", idx, last, src, msg, form="reported")
    if src and 0 < cs < idx and words[cs].low in lex.words("demonstratives") and words[cs - 1].text in _CLAUSE_PUNCT:
        msg = (cs, max(k, last + 1))   # "…, das sage ich deutlich, …": the demonstrative is the content
        return Cue("verb", idx, last, src, msg, form="reported")
    if src and cs < idx and _weak_prefield(words, cs, idx, lex):
        return Cue("verb", idx, last, src, None, form="previous")   # "M. Das bestätigte X."
    if src and lex.language == "de" and _object_ok(words, src, lex):
        msg = _object_clause(words, cs, max(k, last + 1), src, idx, lex)
        if msg:   # "Die Regierung hat kein Konzept vorgelegt", "das sehen wir anders": the act and its object
            return Cue("verb", idx, last, src, msg, form="reported")
    return Cue("verb", idx, last, src, None) if src else None


#: per lexicon (kept alive by the entry, so its id is never reused): sets made from its lists once
_DERIVED: dict[int, tuple[Lexicon, frozenset[str], frozenset[str], tuple[str, ...]]] = {}


def _derived(lex: Lexicon) -> tuple[Lexicon, frozenset[str], frozenset[str], tuple[str, ...]]:
    """(lex, verbs that report a speech act by themselves ("forderte"), first and second words of the
    source phrases ("nach Angaben")), made once per lexicon rather than once per cue word."""
    cached = _DERIVED.get(id(lex))
    if cached is None or cached[0] is not lex:
        phrases = lex.phrases("source_prep_phrases")
        cached = _DERIVED[id(lex)] = (lex, lex.words("reported_verbs") | lex.words("reported_particle_verbs"),
                                      frozenset(p[0] for p in phrases), tuple(p[1] for p in phrases))
    return cached


def _object_ok(words: list[Word], src: tuple[int, int], lex: Lexicon) -> bool:
    """A stance with its object ("das sehen wir anders", "ich lehne den Antrag ab") counts when the
    source is a speaker pronoun: the speaker, "man", or the addressee ("Sie" inside a sentence)."""
    if src[1] - src[0] != 1:
        return False
    w = words[src[0]]
    return w.low in lex.words("stance_pronouns") or w.cap and w.low in lex.words("address_pronouns") and src[0] > 0


def _only_names(words: list[Word], lo: int, hi: int, lex: Lexicon) -> bool:
    """Comma-separated noun phrases and nothing else: a subject with its apposition, not a statement."""
    k = lo
    while k < hi:
        np = np_at(words, k, lex, hi)
        if np is None:
            return False
        k = np[1]
        if k < hi and words[k].text != ",":
            return False
        k += 1
    return True


def _not_agent(words: list[Word], cs: int, ce: int, src: tuple[int, int], lex: Lexicon) -> bool:
    """ "Als Favorit wird X genannt", "Ihm drohen 20 Jahre Haft": no speech act by the phrase found."""
    if src[1] - src[0] == 1 and words[src[0]].low in lex.words("oblique_pronouns"):
        return True
    return any(words[x].low in lex.words("passive_auxiliaries") for x in range(cs, min(ce, len(words))))


def _clause_subject(words: list[Word], i: int, idx: int, lex: Lexicon) -> tuple[int, int] | None:
    """The subject right after a subordinator of a verb-final clause, if it looks like one."""
    w = words[i]
    if not (is_pronoun(w, lex) or w.low in lex.words("determiners") or w.cap or w.low in lex.words("quantifier_subjects")):
        return None
    if w.low in lex.words("quantifier_subjects"):
        return (i, i + 1)
    return np_at(words, i, lex, idx)


def _infinitive(words: list[Word], idx: int, last: int, lex: Lexicon) -> str:
    w = words[idx]
    if last > idx:
        return lex.verb_forms.get(words[last].low + w.low, "")
    return lex.verb_forms.get(w.low, "")


def _opinion_clause(words: list[Word], msg: tuple[int, int], inf: str, lex: Lexicon) -> bool:
    """ "Ich glaube, wir müssen …": a verb of opinion takes a main clause as its content."""
    if inf not in lex.words("opinion_verbs"):
        return False
    first = words[msg[0]]
    return first.low not in lex.words("clause_conjunctions") and first.low not in lex.words("non_complements") \
        and msg[1] - msg[0] >= 3


def _object_clause(words: list[Word], cs: int, ce: int, src: tuple[int, int], idx: int,
                   lex: Lexicon) -> tuple[int, int] | None:
    """The clause of a speech act without reported content: its words besides the source (the object)."""
    lo, hi = cs, min(ce, len(words))
    if src[0] == lo:
        lo = src[1]
    elif src[1] == hi:
        hi = src[0]
    content = [k for k in range(lo, hi) if words[k].alpha and not (src[0] <= k < src[1]) and k != idx
               and words[k].low not in lex.words("reflexives") and words[k].low not in lex.words("prefield_adverbs")]
    if not content:
        return None
    return (lo, hi) if hi > lo else None


def _adverbial(words: list[Word], pre: tuple[int, int], lex: Lexicon) -> bool:
    """A one-word prefield that reads as an adverb ("Relativierend", "Offiziell"), not a subject."""
    w = words[pre[0]]
    if pre[1] - pre[0] != 1 and words[pre[0] + 1].low not in lex.words("prepositions"):
        return False
    return not is_pronoun(w, lex) and w.low.endswith(tuple(lex.words("adverb_endings")))


def _weak_prefield(words: list[Word], cs: int, idx: int, lex: Lexicon) -> bool:
    """A prefield that cannot be the subject: "Das berichtet X", "Dies sagte X"."""
    return idx - cs == 1 and words[cs].low in {"das", "dies", "dieses", "so", "this", "that", "it"}


def _is_complement(words: list[Word], msg: tuple[int, int], lex: Lexicon) -> bool:
    first = words[msg[0]]
    if first.low in lex.words("non_complements"):
        return False
    if first.low in lex.words("complementizers") or first.text in QUOTE_CHARS:
        return True
    if lex.language == "en":
        return True
    subj = lex.words("subjunctive")
    window = range(msg[0], min(msg[1], msg[0] + 14))
    pron = lex.cues.get("pronouns", {})
    if any(words[k].low in pron and k + 1 < msg[1] and words[k + 1].low.endswith("e") and not words[k + 1].cap
           and words[k + 1].low not in lex.words("determiners") for k in range(msg[0], min(msg[1], msg[0] + 3))):
        return True   # "er warte", "sie plane": Konjunktiv I after a pronoun
    clause = range(msg[0], clause_end(words, msg[0]) if msg[0] < len(words) else msg[0])
    if any(_ZU_INFINITIVE.match(words[k].low) for k in window) or any(
            _ZU_INFINITIVE.match(words[k].low) or words[k].low == "zu" and k + 1 < msg[1] and not words[k + 1].cap
            and words[k + 1].low.endswith("en") for k in clause[:30]):
        return True   # "weiterzureichen", "aufzutreten"; the infinitive closes its clause: "…, aus X alle Truppen zurückzuziehen"
    return any(words[k].low in subj for k in window) or any(
        words[k].low == "zu" and k + 1 < msg[1] and not words[k + 1].cap for k in window)


def _prep_cue(words: list[Word], k: int, lex: Lexicon) -> Cue | None:
    w = words[k]
    n = len(words)
    src = None
    last = k
    heads, seconds = _derived(lex)[2:]
    if k + 1 < n and k > 0 and words[k - 1].text == "," and words[k + 1].low in lex.words("relative_pronouns") and (
            w.low in lex.words("source_preps") or w.low in heads):
        return Cue("prep", k, k, (k + 1, k + 2), _trim(words, k + 2, clause_end(words, k + 2)))   # ", nach denen M"
    if w.low in lex.words("source_preps"):
        src = np_at(words, k + 1, lex)
        a = k + 1
        while src is None and a < min(n, k + 4) and words[a].alpha and not words[a].cap:
            a += 1   # "laut nationalem statistischen Institut"
            src = (k + 1, np_at(words, a, lex)[1]) if a < n and words[a].cap and np_at(words, a, lex) else None
        if src is None and k + 1 < n and words[k + 1].alpha and "." in words[k + 1].text:
            src = (k + 1, k + 2)   # "laut faz.net"
    elif w.low in lex.words("hearsay_words"):
        src = (k, k + 1)
        if k >= 2 and words[k - 1].text == "," and w.low in lex.words("relative_hearsay"):
            src = _np_before(words, k - 1, lex) or src   # "aus der Zeitung X, wonach M": the paper says so
        return Cue("prep", k, k, src, _trim(words, k + 1, n))
    elif k + 1 < n and w.low in heads and words[k + 1].cap and words[k + 1].low.endswith(seconds):
        src = np_at(words, k + 1, lex) or (k + 1, k + 2)   # "nach Polizeiangaben"
    else:
        # "nach eigenen Angaben", "nach offiziellen chinesischen Angaben": one or two lowercase words
        # before the phrase's second word (read once here, not once per phrase)
        tail1 = tail2 = None
        if lex.language == "de" and k + 2 < n and words[k + 1].alpha and not words[k + 1].cap:
            tail1 = words[k + 2].low
            if k + 3 < n and words[k + 2].alpha and not words[k + 2].cap:
                tail2 = words[k + 3].low
        for phrase in lex.phrases("source_prep_phrases"):
            gap = 0
            if len(phrase) == 2 and tail1 is not None:
                gap = 1 if tail1.endswith(phrase[1]) else 2 if tail2 is not None and tail2.endswith(phrase[1]) else 0
            if gap or phrase[0] == w.low and tuple(x.low for x in words[k:k + len(phrase)]) == phrase:
                last = k + len(phrase) - 1 + gap
                src = (k + 1, max(k + 2, (np_at(words, k + 1, lex) or (k + 1, k + 2))[1])) \
                    if lex.language == "de" else np_at(words, last + 1, lex)
                break
        else:
            if w.low in lex.words("source_postpositions") and k > 0:
                src = _np_before(words, k, lex)
            else:
                return None
    if src is None:
        return None
    lo = min(k, src[0])
    hi = max(last + 1, src[1])
    cs, ce = clause_start(words, lo), clause_end(words, hi)
    if cs == lo and lo == 0 or cs == lo and words[lo - 1].text in {",", ":"}:
        msg = _trim(words, hi, n) if lo == 0 else _trim(words, 0, lo)
        if lo > 0 and ce < n and not (msg and msg[1] - msg[0] > 2):
            msg = _trim(words, ce, n)
    elif ce == hi and hi < n and words[hi].text in {",", ":"} and cs == lo:
        msg = _trim(words, hi + 1, n)
    else:
        msg = _trim(words, 0, n)
    return Cue("prep", k, last, src, msg)


def _noun_cue(words: list[Word], k: int, lex: Lexicon) -> Cue | None:
    """ "die Forderung des Verbands, M" / "Kritik von X: M": a speech noun, its author, then the content."""
    n = len(words)
    if not words[k].cap or k + 2 >= n or words[k + 1].low not in lex.words("genitive_links"):
        return None
    first = k + 2 if words[k + 1].low in ("von", "vom", "of") else k + 1
    src = np_at(words, first, lex)
    if src is None or src[1] >= n or words[src[1]].text not in {",", ":"}:
        return None
    msg = _trim(words, src[1] + 1, n)
    if msg and (words[src[1]].text == ":" or _is_complement(words, msg, lex)):
        return Cue("noun", k, k, src, msg)
    return None


def _so_cue(words: list[Word], k: int, lex: Lexicon) -> Cue | None:
    if k == 0 or words[k - 1].text not in {",", "–", "—"} and words[k - 1].text not in QUOTE_CHARS:
        return None
    first = k + 1
    if first < len(words) and words[first].low in lex.verb_forms:   # ", so betont die Polizei, ..."
        first += 1
        while first < len(words) and words[first].low in lex.words("prefield_adverbs"):
            first += 1
    src = np_at(words, first, lex)
    if not src:
        return None
    if first > k + 1 and src[1] < len(words) and words[src[1]].text == ",":
        return Cue("so", k, k + 1, src, _trim(words, src[1] + 1, len(words)))
    return Cue("so", k, k, src, _trim(words, 0, k))


def _says_cue(words: list[Word], k: int, lex: Lexicon) -> Cue | None:
    for phrase in lex.phrases("it_says"):
        if tuple(x.low for x in words[k:k + len(phrase)]) != phrase:
            continue
        last = k + len(phrase) - 1
        src = None
        if last + 2 < len(words) and words[last + 1].low in lex.words("prepositions"):
            src = np_at(words, last + 2, lex)
        cs = clause_start(words, k)
        if src is None and cs < k:
            src = (cs, k)   # "Aus Paris hieß es, ..."
        msg = _trim(words, 0, cs) if cs > 0 else _trim(words, clause_end(words, last + 1), len(words))
        return Cue("says", k, last, src, msg)
    return None


def triggers(lex: Lexicon) -> tuple[frozenset[str], ...]:
    """The words that can start a cue, by kind, and their union last (one set look-up per word
    instead of many); made once per lexicon."""
    key = (lex.language, id(lex))
    cached = _TRIGGER_CACHE.get(key)
    if cached is None:
        preps = set(lex.words("source_preps")) | set(lex.words("source_postpositions")) | set(lex.words("hearsay_words"))
        preps |= {p[0] for p in lex.phrases("source_prep_phrases")}
        says = {p[0] for p in lex.phrases("it_says")}
        verbs = set(lex.verb_forms) | set(lex.particle_of)
        so_words, nouns = lex.words("so_words"), lex.words("speech_nouns")
        cached = _TRIGGER_CACHE[key] = (so_words, frozenset(preps), frozenset(says), frozenset(verbs), nouns,
                                        frozenset(so_words | preps | says | verbs | nouns))
    return cached


_TRIGGER_CACHE: dict[tuple[str, int], tuple] = {}


def may_cue(low: list[str], lex: Lexicon) -> bool:
    """Whether one of the (lower-cased) words can start a cue: two sentences in three have none,
    which one set test tells without a step per word (or a :class:`Word` made for each)."""
    return not triggers(lex)[-1].isdisjoint(low)


def find_cues(words: list[Word], lex: Lexicon, masked: list[bool], low: list[str] | None = None) -> list[Cue]:
    """Every cue of one sentence (words inside direct quotes are ``masked`` and never cues); ``low``:
    the lower-cased words when at hand. Only words that can start a cue are visited (C-level scan)."""
    cues: list[Cue] = []
    so_words, prep_words, says_words, verb_words, nouns, any_trigger = triggers(lex)
    if low is None:
        low = [w.low for w in words]
    for k in compress(range(len(low)), map(any_trigger.__contains__, low)):
        if masked[k]:
            continue
        w = low[k]
        cue = _noun_cue(words, k, lex) if w in nouns else None
        if w in so_words:
            cue = _so_cue(words, k, lex)
        if cue is None and w in prep_words:
            cue = _prep_cue(words, k, lex)
        if cue is None and w in says_words:
            cue = _says_cue(words, k, lex)
        if cue is None and w in verb_words:
            cue = _verb_cue(words, k, lex)
        if cue is not None:
            cues.append(cue)
    return cues
