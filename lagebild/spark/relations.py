"""Relations between actors per month, as Spark SQL over the event tables.

Same definition as :func:`lagebild.graph.relations.aggregate` at country level with monthly buckets,
so that Spark and ``lagebild relations`` agree: a side's node is its country where it has one, else the
actor; symmetric types (and events without a target) relate every pair of their nodes once; others
relate each source to each target once; the PLOVER score of the type (and mode) is summed per pair.
Negated and hypothetical events are left out.
"""

from __future__ import annotations

from lagebild.graph.scores import MODE_SCORES, SYMMETRIC, TYPE_SCORES


def _score_case() -> str:
    modes = " ".join(f"WHEN e.type = '{t}' AND e.mode = '{m}' THEN {float(s)}" for (t, m), s in sorted(MODE_SCORES.items()))
    types = " ".join(f"WHEN e.type = '{t}' THEN {float(s)}" for t, s in sorted(TYPE_SCORES.items()))
    return f"CASE {modes} {types} ELSE 0.0 END"


def relations_sql() -> str:
    """One Spark SQL query over views ``events``, ``event_actors`` and ``documents``."""
    symmetric = ", ".join(f"'{t}'" for t in sorted(SYMMETRIC))
    return f"""
    WITH sides AS (
        SELECT a.doc_id, a.event_idx, a.role, COALESCE(a.country, a.actor_key) AS node
        FROM event_actors a
    ),
    ev AS (
        SELECT e.doc_id, e.idx, e.type,
               COALESCE(SUBSTRING(COALESCE(e.date, d.published), 1, 7), 'undated') AS month,
               {_score_case()} AS score,
               array_sort(collect_set(CASE WHEN s.role = 'source' THEN s.node END)) AS src,
               array_sort(collect_set(CASE WHEN s.role = 'target' THEN s.node END)) AS tgt
        FROM events e
        JOIN documents d ON d.id = e.doc_id
        JOIN sides s ON s.doc_id = e.doc_id AND s.event_idx = e.idx
        WHERE e.negated IS NOT TRUE AND e.hypothetical IS NOT TRUE
        GROUP BY e.doc_id, e.idx, e.type, e.mode, e.date, d.published
    ),
    pairs AS (
        SELECT doc_id, idx, type, month, score,
               CASE WHEN (type IN ({symmetric}) AND src = tgt) OR size(tgt) = 0
                    THEN filter(flatten(transform(array_union(src, tgt),
                             x -> transform(array_union(src, tgt), y -> named_struct('a', x, 'b', y)))),
                             p -> p.a < p.b)
                    ELSE array_distinct(filter(flatten(transform(src,
                             x -> transform(tgt, y -> named_struct('a', least(x, y), 'b', greatest(x, y))))),
                             p -> p.a <> p.b))
               END AS pair_list
        FROM ev
    )
    SELECT month, p.a AS actor_a, p.b AS actor_b, type,
           COUNT(*) AS events, COUNT(DISTINCT doc_id) AS documents, SUM(score) AS score
    FROM pairs LATERAL VIEW explode(pair_list) t AS p
    GROUP BY month, p.a, p.b, type
    """
