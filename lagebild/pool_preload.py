"""Imported once, by the fork server of the worker pool: its workers start with everything loaded.

Why: a worker started from scratch spends seconds of CPU importing lagebild and loading the
read-only data (knowledge base, models, lexicons, compiled matchers), each worker again. The pool
(:mod:`lagebild.parallel`) uses the ``forkserver`` start method with this module as preload: the
fork server imports it once, the caches below are warmed in that single-threaded process (the
main process, which holds DuckDB's threads, is never forked), and every worker is forked from it
with the caches already in memory, shared copy-on-write.

Warming runs the default pipeline over a few small pages (German and English, HTML and text dump)
so that the loaders behind the per-process caches (``lru_cache``) are all called. It is best
effort: whatever fails here is simply loaded by the worker itself, as with ``spawn``.
"""

from __future__ import annotations

import gc

_DE = ("Startseite\nPolitik\nWirtschaft\n"
       "Bundeskanzler Friedrich Merz hat am Dienstag in Berlin die Außenministerin getroffen.\n"
       "„Wir werden die Ukraine weiter unterstützen“, sagte Merz nach dem Treffen im Kanzleramt.\n"
       "Die Bundesregierung kündigte neue Sanktionen gegen Russland an, die EU soll folgen.\n"
       "Newsletter abonnieren\n© 2025 Beispiel Zeitung\n")
_EN = ("Home\nWorld\nBusiness\n"
       "The United Nations Security Council met in New York on Monday to discuss the war in Sudan.\n"
       "\"We cannot stand by while civilians are killed,\" the British ambassador told reporters.\n"
       "The United States and France called for new sanctions, while Russia and China objected.\n"
       "Subscribe to our newsletter\n© 2025 Example News\n")


def _html(text: str, lang: str) -> bytes:
    head, *body = text.splitlines()[3:-2]
    paras = "".join(f"<p>{p}</p>" for p in [head, *body])
    return (f"<html lang='{lang}'><head><title>{head[:60]}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{head[:60]}</h1>{paras}</article><footer>Impressum</footer></body></html>").encode()


def warm() -> None:
    """Build the default pipeline and run it over a German and an English HTML page and text dump."""
    try:
        from lagebild.document import Source
        from lagebild.page import Page
        from lagebild.pipeline import Pipeline
        from lagebild.settings import Settings

        pipeline = Pipeline.build("default", Settings.from_env())
        for lang, text in (("de", _DE), ("en", _EN)):
            pipeline.run(Page(Source(f"https://warm.example/{lang}.txt", "text"), "text", data=text.encode()))
            pipeline.run(Page(Source(f"https://warm.example/{lang}.html", "html"), "html",
                              data=_html(text, lang), content_type="text/html; charset=utf-8"))
    except Exception:  # noqa: BLE001 - warming is an optimisation; a worker loads what is missing
        pass
    # what is loaded now lives as long as the process: keep the garbage collector from touching it
    # (a collection writes to every object's header, which would copy the shared pages in each worker)
    gc.collect()
    gc.freeze()


warm()
