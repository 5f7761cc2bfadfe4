"""Relations between actors over time, and graph exports (see :mod:`lagebild.graph.relations`)."""

from lagebild.graph.export import FORMATS, export
from lagebild.graph.relations import (EventRow, Graph, Node, Relation, aggregate, relations_of,
                                      rows_from_documents, rows_from_store)
from lagebild.graph.scores import score

__all__ = ["FORMATS", "EventRow", "Graph", "Node", "Relation", "aggregate", "export", "relations_of",
           "rows_from_documents", "rows_from_store", "score"]
