"""Event dates: explicit dates, weekdays and relative words, resolved against the published date.

Month names, weekdays and relative expressions come from ``lang/<xx>/events_dates.json``::

    {"months": {"juni": 6, ...}, "weekdays": {"dienstag": 1, ...},
     "relative": {"gestern": -1, ...}, "relative_month": {"im vergangenen monat": -1},
     "weekday_prefix": ["am", "vom"]}

Result strings are ISO (``2024-06-12``) or partial (``2024-06``, ``2024``); a sentence without a
date expression gets the published date (which may itself be partial or None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from lagebild import lang as langdata


@dataclass(frozen=True, slots=True)
class DateRules:
    full: re.Pattern          # 12. Juni 2024 / June 12, 2024 / 12 June 2024
    month_year: re.Pattern    # Juni 2024
    day_month: re.Pattern     # 12. Juni (year from the published date)
    weekday: re.Pattern
    relative: re.Pattern
    iso: re.Pattern
    months: dict[str, int]
    weekdays: dict[str, int]
    rel_days: dict[str, int]
    rel_months: dict[str, int]


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@lru_cache(maxsize=None)
def rules(language: str) -> DateRules:
    d = langdata.load_json(language, "events_dates.json") or langdata.load_json("en", "events_dates.json")
    months = {k.lower(): int(v) for k, v in d.get("months", {}).items()}
    weekdays = {k.lower(): int(v) for k, v in d.get("weekdays", {}).items()}
    rel_days = {k.lower(): int(v) for k, v in d.get("relative", {}).items()}
    rel_months = {k.lower(): int(v) for k, v in d.get("relative_month", {}).items()}
    m = _alt(months) or "x^"
    flags = re.IGNORECASE
    return DateRules(
        full=re.compile(rf"\b(?:(?P<d1>\d{{1,2}})\.?\s+(?P<m1>{m})\.?,?\s+(?P<y1>\d{{4}})"
                        rf"|(?P<m2>{m})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}}))\b", flags),
        month_year=re.compile(rf"\b(?P<m>{m})\.?\s+(?P<y>\d{{4}})\b", flags),
        day_month=re.compile(rf"\b(?:(?P<d1>\d{{1,2}})\.?\s+(?P<m1>{m})\b|(?P<m2>{m})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)", flags),
        weekday=re.compile(rf"\b(?P<w>{_alt(weekdays) or 'x^'})\b", flags),
        relative=re.compile(rf"\b(?P<r>{_alt(list(rel_days) + list(rel_months)) or 'x^'})\b", flags),
        iso=re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
        months=months, weekdays=weekdays, rel_days=rel_days, rel_months=rel_months,
    )


def parse_published(published: str | None) -> date | None:
    """A full ISO date, or None for partial/absent dates (relative words then cannot resolve)."""
    if not published or len(published) < 10:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


_DIGIT = re.compile(r"\d")   # what the patterns' \d matches (str.isdigit takes more, e.g. "²")


def _month_key(s: str) -> str:
    return s.lower().rstrip(".")


def resolve(sentence: str, language: str, published: str | None) -> str | None:
    """The date a sentence talks about, else the published date."""
    r = rules(language)
    pub = parse_published(published)
    # every numeric pattern needs a digit: one character-class scan decides for four slow searches
    digits = _DIGIT.search(sentence) is not None
    m = r.iso.search(sentence) if digits else None
    if m:
        return m.group(0)
    m = r.full.search(sentence) if digits else None
    if m:
        day = int(m.group("d1") or m.group("d2"))
        month = r.months.get(_month_key(m.group("m1") or m.group("m2")))
        year = int(m.group("y1") or m.group("y2"))
        if month and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    m = r.month_year.search(sentence) if digits else None
    if m and _month_key(m.group("m")) in r.months:
        return f"{int(m.group('y')):04d}-{r.months[_month_key(m.group('m'))]:02d}"
    if pub:
        m = r.day_month.search(sentence) if digits else None
        if m:
            day = int(m.group("d1") or m.group("d2"))
            month = r.months.get(_month_key(m.group("m1") or m.group("m2")))
            if month and 1 <= day <= 31:
                year = pub.year - 1 if (month, day) > (pub.month, pub.day) else pub.year
                try:
                    return date(year, month, day).isoformat()
                except ValueError:
                    pass
        m = r.relative.search(sentence)
        if m:
            key = m.group("r").lower()
            if key in r.rel_days:
                return (pub + timedelta(days=r.rel_days[key])).isoformat()
            months = pub.year * 12 + pub.month - 1 + r.rel_months[key]
            return f"{months // 12:04d}-{months % 12 + 1:02d}"
        m = r.weekday.search(sentence)
        if m:
            wd = r.weekdays[m.group("w").lower()]
            back = (pub.weekday() - wd) % 7    # news reports the past: the last such day, or today
            return (pub - timedelta(days=back)).isoformat()
    return published or None
