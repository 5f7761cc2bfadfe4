"""``lagebild kb build`` and ``lagebild kb lookup TEXT [--date D] [--json]``: the actor knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from lagebild.cli.common import console, exit_error, print_json


def register(app: typer.Typer) -> None:
    kb_app = typer.Typer(help="The actor knowledge base: build it from public sources, look strings up.",
                         no_args_is_help=True)

    @kb_app.command("build")
    def build_cmd(
        sources: Optional[Path] = typer.Argument(None, help="kb-sources folder (default ../shared/data/kb-sources)"),
    ) -> None:
        """Compile lagebild/kb/data/kb.json.gz from the public sources and the curated files."""
        from lagebild.kb.build import OUT, build

        src = sources or Path(__file__).resolve().parents[2].parent / "shared" / "data" / "kb-sources"
        if not src.is_dir():
            exit_error(f"no KB sources at {src}: pass the kb-sources folder")
        stats = build(src, OUT)
        console.print(" ".join(f"{k}={v}" for k, v in stats.items()), f"-> {OUT}", highlight=False)

    @kb_app.command("lookup")
    def lookup_cmd(
        text: str = typer.Argument(..., help="a name, phrase or sentence"),
        date: Optional[str] = typer.Option(None, "--date", help="ISO date for dated roles (default: today)"),
        lang: Optional[str] = typer.Option(None, "--lang", help="de or en (default: both)"),
        as_json: bool = typer.Option(False, "--json", help="one JSON object per match"),
    ) -> None:
        """Show what TEXT resolves to: actor, role, QID, country; titles for --date."""
        import datetime as dt

        from rich.markup import escape

        from lagebild.annotate.mentions import MentionFinder
        from lagebild.kb.lookup import knowledge_base
        from lagebild.settings import Settings

        kb = knowledge_base()
        when = date or dt.date.today().isoformat()
        mentions, _ = MentionFinder(kb, Settings()).__call__(text, lang or "de", when)
        hits = [{"text": text[m.start:m.end], "start": m.start, "end": m.end, "role": m.role,
                 "actor": m.actor.to_dict() if m.actor else None, "date": when} for m in mentions]
        if as_json:
            for h in hits:
                print_json(h)
            return
        if not hits:
            console.print("no match")
            raise SystemExit(1)
        for h in hits:
            a = h["actor"] or {}
            console.print(escape(f"{h['text']!r} [{h['role']}] -> {a.get('name')} · {a.get('kind')} · "
                                 f"{a.get('id') or '-'} · {a.get('country') or '-'} · {a.get('sector') or '-'}"),
                          highlight=False)

    app.add_typer(kb_app, name="kb")
