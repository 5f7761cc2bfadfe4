"""lagebild: read the news, build the situation picture of world politics.

Library first: the CLI, the API and the web interface are thin layers over :class:`Lagebild`.
"""

from lagebild.document import SCHEMA, Actor, Document, Failure
from lagebild.errors import Code, LagebildError
from lagebild.pipeline import Pipeline
from lagebild.settings import Settings

__version__ = "0.1.0"
__all__ = ["SCHEMA", "Actor", "Code", "Document", "Failure", "LagebildError", "Pipeline", "Settings", "__version__"]
