"""The ``lagebild`` command: a thin Typer app over the library.

Built-in commands live in :mod:`lagebild.cli.core`; every other area registers its commands from its
own module listed in ``PLUGIN_MODULES`` (datasette's "built-ins written as plugins").
"""

from __future__ import annotations

import importlib

import typer

PLUGIN_MODULES = ("core", "kb", "actors", "quotes", "events", "graph", "outlets", "serve", "spark", "load")

app = typer.Typer(
    name="lagebild",
    help="Read the news, build the situation picture: actors, quotes, events and framing, each linked to its words.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_plugins() -> None:
    for name in PLUGIN_MODULES:
        module_name = f"lagebild.cli.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(app)


_register_plugins()


def main() -> None:
    app()
