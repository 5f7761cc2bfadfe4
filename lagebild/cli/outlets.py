"""CLI plugin: ``lagebild outlets`` — compare sites by genre mix, tone and persuasion-technique rates.

Rates are per 1,000 words of article text (characters / 6.5 as a cheap word estimate), so long
and short articles weigh fairly; the tone is the mean of the documents' GDELT-like scores.
"""

from __future__ import annotations

from typing import Any, Optional

import typer

from lagebild.cli.common import DB_HELP, console, open_store_or_exit, print_json

CHARS_PER_WORD = 6.5
GENRES = ("news", "opinion", "interview", "press_release", "advert", "other")

DOCS_SQL = """
SELECT COALESCE(site, '(unknown)') AS site, genre, COUNT(*) AS n, AVG(tone) AS tone,
       SUM(COALESCE(n_chars, LENGTH(text))) AS chars
FROM documents GROUP BY 1, 2
"""

FRAMING_SQL = """
SELECT COALESCE(d.site, '(unknown)') AS site, f.technique, COUNT(*) AS n
FROM framing f JOIN documents d ON d.id = f.doc_id GROUP BY 1, 2
"""


def outlet_stats(store: Any, min_docs: int = 1) -> list[dict[str, Any]]:
    """One dict per site: documents, genre shares, mean tone, techniques per 1,000 words."""
    sites: dict[str, dict[str, Any]] = {}
    for r in store.query(DOCS_SQL):
        s = sites.setdefault(r["site"], {"site": r["site"], "documents": 0, "genres": {}, "_tone": 0.0,
                                         "_tone_n": 0, "_chars": 0})
        n = int(r["n"])
        s["documents"] += n
        s["genres"][r["genre"] or "unknown"] = s["genres"].get(r["genre"] or "unknown", 0) + n
        if r["tone"] is not None:
            s["_tone"] += float(r["tone"]) * n
            s["_tone_n"] += n
        s["_chars"] += int(r["chars"] or 0)
    for r in store.query(FRAMING_SQL):
        s = sites.get(r["site"])
        if s is not None:
            s.setdefault("_tech", {})[r["technique"]] = int(r["n"])
    out = []
    for s in sites.values():
        if s["documents"] < min_docs:
            continue
        words = max(s["_chars"] / CHARS_PER_WORD, 1.0)
        tech = s.get("_tech", {})
        out.append({
            "site": s["site"], "documents": s["documents"],
            "genre_share": {g: round(c / s["documents"], 3) for g, c in sorted(s["genres"].items())},
            "tone": round(s["_tone"] / s["_tone_n"], 3) if s["_tone_n"] else None,
            "techniques_per_1000_words": round(1000.0 * sum(tech.values()) / words, 3),
            "technique_rates": {t: round(1000.0 * c / words, 3) for t, c in sorted(tech.items(), key=lambda x: -x[1])},
        })
    out.sort(key=lambda x: (-x["documents"], x["site"]))
    return out


def register(app: typer.Typer) -> None:
    @app.command("outlets")
    def outlets_cmd(
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        min_docs: int = typer.Option(1, "--min-docs", help="only sites with at least this many documents"),
        as_json: bool = typer.Option(False, "--json", help="JSON Lines instead of a table"),
    ) -> None:
        """Compare sites: genre mix, mean tone, persuasion techniques per 1,000 words."""
        store = open_store_or_exit(db, read_only=True)
        rows = outlet_stats(store, min_docs)
        if as_json:
            for r in rows:
                print_json(r)
            return
        if not rows:
            console.print("no documents stored")
            return
        from rich.table import Table

        table = Table(title="outlets")
        table.add_column("site", no_wrap=True)
        for col in ("docs", "news", "opinion", "other genres", "tone", "techniques/1k words", "top techniques"):
            table.add_column(col, overflow="fold")
        for r in rows:
            gs = r["genre_share"]
            rest = sum(v for k, v in gs.items() if k not in ("news", "opinion"))
            top = ", ".join(f"{t} {v:g}" for t, v in list(r["technique_rates"].items())[:3])
            table.add_row(r["site"], str(r["documents"]), f"{gs.get('news', 0):.0%}", f"{gs.get('opinion', 0):.0%}",
                          f"{rest:.0%}", "" if r["tone"] is None else f"{r['tone']:+.2f}",
                          f"{r['techniques_per_1000_words']:.2f}", top)
        console.print(table)
