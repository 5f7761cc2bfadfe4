"""Persuasion techniques: German gold (hand-checked), English cues per technique, the seed page,
the stage contract, and the SemEval-2020 Task 11 SI metric on toy cases."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from lagebild.annotate.framing_eval import merge_spans, si_score, tc_score
from lagebild.annotate.framing_patterns import match
from lagebild.annotate.sentences import SentenceSplitter
from lagebild.document import Document, Source
from lagebild.pipeline import Pipeline

GOLD = Path(__file__).parent / "gold" / "framing_de.jsonl"
SPLIT = SentenceSplitter()
ROWS = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def _hits(text: str, language: str):
    return match(text, SPLIT.split(text, language), language)


def _found(text: str, hits, technique: str, phrase: str) -> bool:
    starts = [i for i in range(len(text)) if text.startswith(phrase, i)]
    return any(h.technique == technique and h.start < s + len(phrase) and s < h.end
               for h in hits for s in starts)


def _by_technique() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in ROWS:
        for e in r["expect"]:
            out[e["technique"]].append({"text": r["text"], "phrase": e["text"]})
    return out


def test_gold_file_is_big_enough() -> None:
    assert len(ROWS) >= 40
    assert sum(1 for r in ROWS if not r["expect"]) >= 10
    assert len(_by_technique()) >= 13


@pytest.mark.parametrize("technique", sorted(_by_technique()))
def test_german_technique(technique: str) -> None:
    for ex in _by_technique()[technique]:
        hits = _hits(ex["text"], "de")
        assert _found(ex["text"], hits, technique, ex["phrase"]), \
            (ex, [(h.technique, ex["text"][h.start:h.end]) for h in hits])


def test_german_neutral_sentences_get_nothing() -> None:
    for r in ROWS:
        if not r["expect"]:
            hits = _hits(r["text"], "de")
            assert not hits, (r["text"], [(h.technique, r["text"][h.start:h.end]) for h in hits])


EN = {
    "loaded_language": ("The senator's outrageous proposal is a disgraceful betrayal.", "outrageous"),
    "name_calling": ("The regime in Damascus ignored the warnings.", "regime"),
    "exaggeration": ("This is the greatest scandal of all time.", "of all time"),
    "doubt": ("The so-called experts have been wrong before.", "so-called"),
    "appeal_to_fear": ("If we do not act now, our children will pay the price.", "If we do not act now"),
    "whataboutism": ("And what about the crimes of their allies?", "what about"),
    "flag_waving": ("Real patriots will always defend our country.", "our country"),
    "slogans": ("The crowd chanted: Drain the swamp.", "Drain the swamp"),
    "causal_oversimplification": ("The crisis happened all because of the new tax.", "all because of"),
    "black_and_white": ("You are either with us or against us.", "either with us or against us"),
    "appeal_to_authority": ("All experts agree that the plan will fail.", "experts agree"),
    "thought_terminating_cliches": ("We lost the vote, but it is what it is.", "it is what it is"),
    "repetition": ("This is very, very dangerous for the country.", "very, very"),
    "bandwagon": ("Everyone knows the election was a turning point.", "Everyone knows"),
    "reductio_ad_hitlerum": ("These censorship laws are just like the Nazis did it.", "like the Nazis"),
}


@pytest.mark.parametrize("technique", sorted(EN))
def test_english_technique_cues(technique: str) -> None:
    text, phrase = EN[technique]
    assert _found(text, _hits(text, "en"), technique, phrase)


def test_english_neutral_sentence_gets_no_cue() -> None:
    text = "The parliament approved the budget on Thursday by 310 votes to 250."
    assert not _hits(text, "en")


def test_seed_page_loaded_language(seed_text: str) -> None:
    text = seed_text[:seed_text.index("RETTE DEIN GELD!")].rstrip()
    doc = Pipeline.build("sentences,framing").annotate(Document(text, Source("seed", "text"), language="de"))
    loaded = {text[f.start:f.end].lower() for f in doc.framing if f.technique == "loaded_language"}
    assert len(loaded) >= 2, loaded
    assert any("kaputtspar" in w or "schwadron" in w for w in loaded)
    assert any(f.technique == "whataboutism" and text[f.start:f.end].startswith("Während") for f in doc.framing)


def test_stage_output_follows_contract() -> None:
    text = "Die angeblichen Reformen sind ein Debakel.\nDas Regime schweigt."
    doc = Pipeline.build("sentences,framing").annotate(Document(text, Source("t", "text"), language="de"))
    d = doc.to_dict()
    assert {f["technique"] for f in d["framing"]} >= {"doubt", "loaded_language", "name_calling"}
    for f in d["framing"]:
        assert text[f["start"]:f["end"]] == f["text"]
        assert 0 < f["confidence"] <= 1
        assert f["technique"].islower() and " " not in f["technique"]


def test_english_model_spans_in_stage() -> None:
    text = ("The corrupt regime and its puppet media keep spewing lies to the American people.\n"
            "They are traitors who want to destroy our great nation, and everyone knows it.")
    doc = Pipeline.build("sentences,framing").annotate(Document(text, Source("t", "text"), language="en"))
    assert doc.framing
    assert {"name_calling", "flag_waving"} <= {f.technique for f in doc.framing}


# ---------------------------------------------------------------- the SI metric (official scorer semantics)

def test_si_partial_overlap() -> None:
    s = si_score({"a": [(0, 5)]}, {"a": [(0, 10)]})
    assert s["precision"] == pytest.approx(1.0) and s["recall"] == pytest.approx(0.5)
    assert s["f1"] == pytest.approx(2 / 3)


def test_si_gold_overlaps_are_merged_and_misses_count() -> None:
    gold = {"a": [(0, 10), (5, 20)], "b": [(0, 4)]}
    s = si_score({"a": [(0, 20), (30, 40)]}, gold)
    # gold a merges to (0, 20): two gold spans in all; the prediction (30, 40) is wrong
    assert s["gold_spans"] == 2 and s["pred_spans"] == 2
    assert s["precision"] == pytest.approx(0.5) and s["recall"] == pytest.approx(0.5)


def test_si_empty() -> None:
    assert si_score({}, {"a": [(0, 3)]})["f1"] == 0.0
    assert merge_spans([(3, 5), (0, 4), (6, 7)]) == [(0, 5), (6, 7)]


def test_tc_micro_f1() -> None:
    s = tc_score(["a", "b", "b", "c"], ["a", "b", "c", "c"])
    assert s["micro_f1"] == pytest.approx(0.75)
    assert s["per_technique"]["b"]["recall"] == pytest.approx(0.5)


def test_english_tagger_marks_loaded_text_not_neutral_report() -> None:
    from lagebild.annotate.framing_model import shipped_model

    model = shipped_model()
    assert model is not None
    loaded = "This radical leftist mob wants to destroy everything we hold dear, and the cowardly elites cheer them on."
    neutral = "The parliament approved the budget on Thursday by 310 votes to 250, officials said."
    assert model.spans(loaded, SPLIT.split(loaded, "en"))
    assert not model.spans(neutral, SPLIT.split(neutral, "en"))
    spans = model.spans(loaded, SPLIT.split(loaded, "en"))
    labels = model.classify(loaded, [(s.start, s.end) for s in spans], SPLIT.split(loaded, "en"))
    assert all(0 < p <= 1 and lab.islower() for lab, p in labels)


def test_weight_scorer_equals_hashed_feature_sum() -> None:
    """The memoised weight scorer gives the scores of the hashed features the model was trained on."""
    import numpy as np

    from lagebild.annotate.framing_features import (SI_DIM, TokenFeatureIndexer,
                                                    hash_features, sentence_features,
                                                    sentence_token_features)
    from lagebild.annotate.framing_model import article_context, shipped_model

    model = shipped_model()
    assert model is not None
    text = ('The "radical" mob, the very very cowardly elites! Officials said the vote passed. '
            "They never, never learn: a disgrace, a total disgrace.")
    sents = SPLIT.split(text, "en")
    from lagebild.annotate.sentences import tokenize

    toks_all = [tokenize(text, s.start, s.end) for s in sents]
    ctx = article_context(text, [t for ts in toks_all for t in ts])
    indexer = TokenFeatureIndexer(SI_DIM)
    for sent, toks in zip(sents, toks_all):
        words = [text[t.start:t.end] for t in toks]
        sf = sentence_features(text[sent.start:sent.end])
        idx, offsets = indexer.indices(words, sf, ctx)
        # the indexer itself equals hashing the feature strings of the training script
        flat = [i for f in sentence_token_features(words, sf, ctx) for i in hash_features(f, SI_DIM)]
        assert idx == flat
        z = np.add.reduceat(model.si_w.astype(np.float64)[np.asarray(idx)], np.asarray(offsets)) + model.si_b
        expected = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        got = model.token_scores(text, sent, toks, ctx)
        assert np.allclose(got, expected, atol=1e-9)


def test_document_scoring_equals_sentence_scoring() -> None:
    """One pass over a document gives bit-identical scores to scoring sentence by sentence,
    with a cold and a warm memo, and after the memo was emptied between documents."""
    import numpy as np

    from lagebild.annotate.framing_features import SI_DIM, sentence_features
    from lagebild.annotate.framing_model import article_context, shipped_model
    from lagebild.annotate.framing_scorer import TokenScorer
    from lagebild.annotate.sentences import tokenize

    model = shipped_model()
    assert model is not None
    text = ('The "radical" mob, the very very cowardly elites! Officials said the vote passed. '
            "They never, never learn: a disgrace, a total disgrace. Why? "
            "“Nobody,” he said, “trusts the corrupt, disgraceful regime” of THE NATO. A. B c. "
            "Great, wonderful, brilliant success for the proud people of the nation, they say; "
            "the horrible, terrible, evil, treacherous enemies lie and lie and lie again.")
    sents = SPLIT.split(text, "en")
    toks_all = [tokenize(text, s.start, s.end) for s in sents]
    ctx = article_context(text, [t for ts in toks_all for t in ts])
    raws = [[text[t.start:t.end] for t in ts] for ts in toks_all if ts]
    feats = [sentence_features(text[s.start:s.end]) for s, ts in zip(sents, toks_all) if ts]
    scorer = TokenScorer(model.si_w, model.si_b, SI_DIM)
    expected = [scorer.scores(r, f, ctx) for r, f in zip(raws, feats)]
    assert any(min(ctx.polarities([w.lower() for w in r])) < 0 for r in raws)   # polarity features used
    for _ in range(2):   # cold memo, then warm
        assert scorer.score_sentences(raws, [[w.lower() for w in r] for r in raws], feats, ctx) == expected
    # memos emptied at the start of a document when full, tables grown while a document is scored
    tiny = TokenScorer(model.si_w, model.si_b, SI_DIM)
    tiny._tok_rows.limit = tiny._pair_rows.limit = 3
    tiny._tok_rows.table, tiny._pair_rows.table = np.zeros((1, 5)), np.zeros((1, 2))
    for _ in range(2):
        assert tiny.score_sentences(raws, [[w.lower() for w in r] for r in raws], feats, ctx) == expected
        assert tiny.score_sentences(raws[1:3], [[w.lower() for w in r] for r in raws[1:3]], feats[1:3],
                                    ctx) == expected[1:3]


def test_classifier_batch_equals_span_by_span() -> None:
    """span_indices equals hashing span_features (ASCII and non-ASCII spans), and classifying all
    spans of a text at once gives exactly the techniques and probabilities of one span at a time."""
    import numpy as np

    from lagebild.annotate.framing_features import TC_DIM, hash_features, span_features, span_indices
    from lagebild.annotate.framing_model import shipped_model

    model = shipped_model()
    assert model is not None
    text = ("They never, never learn: a disgrace, a total disgrace! Is it true? "
            "“Nobody trusts the corrupt regime,” he said. WAKE UP NOW! Café owners’ anger grows. ")
    sents = SPLIT.split(text, "en")
    lower = text.lower()
    spans = [(x.start, x.end) for x in sents] + [(x.start + 2, x.end - 3) for x in sents] + [(0, 12)]
    assert any(not text[s:e].isascii() for s, e in spans) and any(text[s:e].isascii() for s, e in spans)
    for s, e in spans:
        ctx = next(text[x.start:x.end] for x in sents if x.start <= s < x.end)
        assert span_indices(text[s:e], ctx, lower, TC_DIM) == hash_features(span_features(text[s:e], ctx, text),
                                                                             TC_DIM)
    expected = []
    for s, e in spans:
        ctx = next(text[x.start:x.end] for x in sents if x.start <= s < x.end)
        z = model.tc_w[:, hash_features(span_features(text[s:e], ctx, text), TC_DIM)].sum(axis=1) + model.tc_b
        p = np.exp(z - z.max())
        p /= p.sum()
        expected.append((model.classes[int(p.argmax())], float(p[int(p.argmax())])))
    assert model.classify(text, spans, sents) == expected
    assert model.classify(text, spans[1:2], sents) == expected[1:2]
    assert model.classify(text, [], sents) == []


def test_candidate_scanning_finds_exactly_what_finditer_finds(seed_text: str) -> None:
    """Every rule (word lists and patterns with derived heads) matches exactly as a plain
    ``regex.finditer`` over the whole text would."""
    from lagebild.annotate.framing_patterns import rules, scanner

    english = ("What about the other side? Experts agree that this is the only way. Either with us or "
               "against us! NO MORE WAR!!! Very, very bad. The only reason is greed, solely because of them. "
               "Is it really true? Who really believes it? Like the Nazis, Gestapo tactics. If we don't act now, "
               "they will win. Double standards and the hypocrisy of it all. So you're saying we lost?")
    texts = [r["text"] for r in ROWS] + [seed_text, english, "\n".join(r["text"] for r in ROWS)]
    for language in ("de", "en"):
        scan = scanner(language)
        assert sum(scan.fast) > len(scan.fast) // 2        # most rules run from candidates
        for text in texts:
            cands = scan.candidates(text)
            for i, rule in enumerate(rules(language)):
                assert [m.span() for m in scan.finditer(i, text, cands)] == \
                       [m.span() for m in rule.regex.finditer(text)], rule.regex.pattern


def test_required_literals_are_in_every_match() -> None:
    """A pattern scanned plainly is skipped only when text every match needs is absent."""
    import re

    from lagebild.annotate.framing_scan import WordScanner, required_literals

    assert required_literals(re.compile(r"ab+c")) == ("ab", "c")
    assert required_literals(re.compile(r"Als\s+ob\b", re.IGNORECASE)) == ("als", "ob")
    assert required_literals(re.compile(r"a?bc|de")) == ()          # a branch: nothing is required
    assert required_literals(re.compile(r"(?:x\s+){0,4}\w+!\s*$")) == ("!",)
    rx = re.compile(r"(?:^|(?<=[.!?]\s))(?:\w+\s+){0,4}\w+!\s*(?=\n|$)", re.MULTILINE)
    scan = WordScanner([rx], [[]])
    for text in ("Kein Ausruf hier.\nNoch einer.", "Wir schaffen das!\nJa.", ""):
        cands = scan.candidates(text)
        assert [m.span() for m in scan.finditer(0, text, cands)] == [m.span() for m in rx.finditer(text)]
