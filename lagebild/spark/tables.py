"""Spark schemas of the output tables, derived from the store's row builder so both never drift."""

from __future__ import annotations

from lagebild.store.rows import COLUMNS

INT_COLUMNS = {"idx", "start_char", "end_char", "speaker_start", "speaker_end", "trigger_start", "trigger_end",
               "sentence_start", "sentence_end", "event_idx", "quote_idx", "position", "n_chars", "n_removed",
               "n_mentions", "n_quotes", "n_events", "n_framing"}
FLOAT_COLUMNS = {"tone", "confidence"}
BOOL_COLUMNS = {"negated", "hypothetical"}

#: tables the Spark job writes (the store's document tables plus errors)
OUTPUT_TABLES = ("documents", "removed", "mentions", "quotes", "quote_speakers", "events", "event_actors",
                 "framing", "errors")

#: columns the job adds to every row: where it came from, for ordering and deduplication
ORIGIN = ("file_idx", "rec_idx")


def spark_schema(table: str):
    from pyspark.sql.types import (BooleanType, DoubleType, LongType, StringType, StructField, StructType)

    fields = []
    for col in COLUMNS[table]:
        if col in INT_COLUMNS:
            typ = LongType()
        elif col in FLOAT_COLUMNS:
            typ = DoubleType()
        elif col in BOOL_COLUMNS:
            typ = BooleanType()
        else:
            typ = StringType()
        fields.append(StructField(col, typ, True))
    fields += [StructField("file_idx", LongType(), False), StructField("rec_idx", LongType(), False)]
    return StructType(fields)
