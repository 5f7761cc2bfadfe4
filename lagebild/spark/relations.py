"""Relations between actor pairs per month, as one SQL query Spark runs over the event tables.

The per-type cooperation–conflict scores come from :mod:`lagebild.graph` (PLOVER's scale) so that
Spark and the local ``relations`` command agree. Negated and hypothetical events are left out.
"""

from __future__ import annotations


def type_scores() -> dict[str, float]:
    from lagebild import graph

    for name in ("TYPE_SCORES", "PLOVER_SCORES", "SCORES"):
        scores = getattr(graph, name, None)
        if isinstance(scores, dict):
            return {str(k): float(v) for k, v in scores.items()}
    raise ImportError("lagebild.graph defines no per-type score table")


def relations_sql(scores: dict[str, float] | None = None) -> str:
    scores = scores or type_scores()
    case = " ".join(f"WHEN '{t}' THEN {float(s)}" for t, s in sorted(scores.items()))
    return f"""
    SELECT COALESCE(SUBSTRING(e.date, 1, 7), 'unknown') AS month,
           s.actor_key AS source_key, FIRST(s.name) AS source_name, FIRST(s.country) AS source_country,
           t.actor_key AS target_key, FIRST(t.name) AS target_name, FIRST(t.country) AS target_country,
           e.type AS type, COUNT(*) AS events, COUNT(DISTINCT e.doc_id) AS documents,
           SUM(CASE e.type {case} ELSE 0.0 END) AS score
    FROM events e
    JOIN event_actors s ON s.doc_id = e.doc_id AND s.event_idx = e.idx AND s.role = 'source'
    JOIN event_actors t ON t.doc_id = e.doc_id AND t.event_idx = e.idx AND t.role = 'target'
    WHERE NOT e.negated AND NOT e.hypothetical AND s.actor_key <> t.actor_key
    GROUP BY 1, s.actor_key, t.actor_key, e.type
    """
