#!/usr/bin/env python
"""Compile the English tone lexicon from the VADER lexicon shipped in the PyPI package vaderSentiment.

    pip install vaderSentiment==3.3.2 && python scripts/build_tone_lexicon.py

VADER (Hutto & Gilbert 2014, MIT licence) rates words from -4 to +4. A word goes into
``lang/en/tone_positive.txt`` when its mean rating is >= 1.0 and into ``tone_negative.txt`` when it is
<= -1.0 (single words only, no emoticons). The German lists (``lang/de/tone_*.txt``) are written by
hand by the lagebild team. Run-time tone scoring needs no package: it reads the word lists.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "lagebild" / "lang" / "en"


def main() -> None:
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    pos, neg = [], []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        word, score = parts[0], float(parts[1])
        if not word.isalpha() or not word.islower() or len(word) < 3:
            continue
        if score >= 1.0:
            pos.append(word)
        elif score <= -1.0:
            neg.append(word)
    header = "# Compiled by scripts/build_tone_lexicon.py from the VADER lexicon (vaderSentiment 3.3.2, MIT licence)\n"
    (OUT / "tone_positive.txt").write_text(header + "\n".join(sorted(pos)) + "\n", encoding="utf-8")
    (OUT / "tone_negative.txt").write_text(header + "\n".join(sorted(neg)) + "\n", encoding="utf-8")
    print(f"{len(pos)} positive, {len(neg)} negative words")


if __name__ == "__main__":
    main()
