"""The JSON Schema of the document JSON (``lagebild/1``), shipped with the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def document_schema() -> dict[str, Any]:
    return json.loads(resources.files("lagebild.schema").joinpath("document.schema.json").read_text("utf-8"))


def validate_document(obj: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` when ``obj`` breaks the contract; also check offsets."""
    import jsonschema

    jsonschema.validate(obj, document_schema())
    text = obj.get("text")
    if text is None:
        return
    n = len(text)
    for layer in ("mentions", "quotes", "framing", "sentences"):
        for item in obj.get(layer, []):
            if not 0 <= item["start"] <= item["end"] <= n:
                raise ValueError(f"{layer} offsets {item['start']}:{item['end']} outside text of {n} chars")
            if "text" in item and text[item["start"]:item["end"]] != item["text"]:
                raise ValueError(f"{layer} text does not match its offsets: {item['text']!r}")
    for ev in obj.get("events", []):
        trig = ev["trigger"]
        if text[trig["start"]:trig["end"]] != trig["text"]:
            raise ValueError(f"event trigger text does not match its offsets: {trig['text']!r}")
