"""Reading and writing the catalogue as JSON.

The same format is used for the review's own data file (``review.json``,
loaded by a data migration), for ``export_catalogue`` and for
``import_catalogue``, so organisations can share and review catalogues.

An import is validated as a whole first; every problem is reported with its
place in the file, and nothing is written unless the whole file is valid.
"""

from factors.catalogue.exporter import dumps, export_catalogue
from factors.catalogue.format import (
    FORMAT,
    REVIEW_FILE,
    CatalogueError,
    load_review_data,
    parse,
    validate,
)
from factors.catalogue.importer import import_catalogue

__all__ = [
    "FORMAT",
    "REVIEW_FILE",
    "CatalogueError",
    "dumps",
    "export_catalogue",
    "import_catalogue",
    "load_review_data",
    "parse",
    "validate",
]
