"""Fast paths of the recogniser's decoding against their plain forms: the Viterbi step that takes
the maximum at the argmax, and the label fixes that visit only the words that can change."""

from __future__ import annotations

import random
from bisect import bisect_right
from itertools import compress

import numpy as np

from lagebild.annotate.mentions_crf import CrfModel
from lagebild.annotate.mentions_ner import acronym_orgs, add_likely_names, cues, is_candidate


def _plain_viterbi(model: CrfModel, state: np.ndarray, lengths: np.ndarray, active: list[int]) -> np.ndarray:
    t_max, n_sent, n_labels = state.shape
    score = state[0].copy()
    back = np.zeros((t_max, n_sent, n_labels), dtype=np.intp)
    for t in range(1, t_max):
        k = active[t]
        cand = score[:k, None, :] + model.transitions.T
        back[t, :k] = cand.argmax(axis=2)
        score[:k] = cand.max(axis=2) + state[t, :k]
    paths = np.zeros((t_max, n_sent), dtype=np.intp)
    rows = np.arange(n_sent)
    paths[lengths - 1, rows] = score.argmax(axis=1)
    for t in range(t_max - 1, 0, -1):
        k = active[t]
        paths[t - 1, :k] = back[t, rows[:k], paths[t, :k]]
    return paths


def test_viterbi_equals_the_plain_recursion_with_ties():
    rng = np.random.default_rng(3)
    for n_labels, integer in ((3, True), (7, True), (7, False)):
        draw = (lambda *s: rng.integers(-2, 3, s).astype(float)) if integer else (lambda *s: rng.normal(size=s))
        model = CrfModel([f"L{i}" for i in range(n_labels)], {}, draw(1, n_labels), draw(n_labels, n_labels))
        size = np.sort(rng.integers(1, 30, 12))[::-1]
        state = np.zeros((int(size[0]), len(size), n_labels))
        for s, n in enumerate(size):
            state[:n, s] = draw(n, n_labels)   # integers: many ties between paths
        ascending = size[::-1].tolist()
        active = [len(size) - bisect_right(ascending, t) for t in range(int(size[0]))]
        assert np.array_equal(model._viterbi(state, size, active), _plain_viterbi(model, state, size, active))


class _Marginals:
    def __init__(self, probs: dict[tuple[str, int], float]) -> None:
        self.probs = probs

    def marginal(self, label: str, k: int) -> float:
        if label == "O":
            return 1.0 - sum(p for (lab, j), p in self.probs.items() if j == k)
        return self.probs.get((label, k), 0.0)


def test_label_fixes_on_the_visited_words_equal_the_full_loop():
    rng = random.Random(5)
    vocab = ["KI", "DNA", "Müller", "und", "DHB", "von", "ÖVP", "dpa", "中A", "ICBL", "x", "Ölpreis", "",
             "NHL-Chef", "al"]
    labels_all = ["B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
    for _ in range(300):
        words = [rng.choice(vocab) for _ in range(rng.randint(1, 12))]
        tagger = _Marginals({(rng.choice(labels_all), k): rng.random() * 0.5 for k in range(len(words))
                             for _ in range(2)} | {("B-ORG", k): rng.random() * 0.3 for k in range(len(words))})
        labels = [rng.choice(["O", "O", "O", "B-PER"]) for _ in words]
        plain, fast = list(labels), list(labels)
        add_likely_names(words, plain, tagger, 0.2)
        add_likely_names(words, fast, tagger, 0.2, compress(range(len(words)), map(is_candidate, words)))
        assert fast == plain
        expected = list(fast)
        for k, w in enumerate(words):   # acronym_orgs as a loop over every word
            if (expected[k] == "O" and 2 <= len(w) <= 6 and w.isupper() and w.isalpha()
                    and w not in cues().not_acronyms and tagger.marginal("B-ORG", k) > 0.1):
                expected[k] = "B-ORG"
        acronym_orgs(words, fast, tagger, 0.1)
        assert fast == expected


def test_english_persons_equal_the_token_by_token_scan():
    from lagebild.annotate.mentions_ner import english_persons, first_names_of
    from lagebild.document import Document, Sentence, Source
    from lagebild.annotate.sentences import tokenize

    gaz = {"Alejandro": "F", "Maria": "CF", "Rivera": "L", "Paris": "C", "anna": "F", "Anna": "FL"}
    text = ("Judge Alejandro Rivera met Maria Anna Paris-Smith and Anna . Maria\\nAnna Rivera O'Neil said "
            "anna Maria 3 Anna Alejandro Maria Rivera .")
    doc = Document(text, Source("t", "text"))
    doc.layers["tokens"] = tokenize(text)
    cut = text.index("\\n") + 1
    doc.layers["sentences"] = [Sentence(0, cut - 1), Sentence(cut, len(text))]

    def plain() -> list:
        tokens, out, i = doc.layers["tokens"], [], 0
        starts = {s.start for s in doc.layers["sentences"]}
        while i < len(tokens):
            w = text[tokens[i].start:tokens[i].end]
            if "F" in gaz.get(w, "") and w[0].isupper():
                j = i + 1
                while (j < len(tokens) and tokens[j].start not in starts and text[tokens[j].start].isupper()
                       and text[tokens[j].start:tokens[j].end].replace("-", "").replace("'", "").isalpha()):
                    j += 1
                if j - i >= 2:
                    out.append((tokens[i].start, tokens[j - 1].end, "PER", 0.6))
                    i = j
                    continue
            i += 1
        return out

    expected = plain()
    assert len(expected) >= 3
    assert english_persons(doc, gaz) == expected
    assert english_persons(doc, gaz, first_names_of(gaz)) == expected
