"""The errors gxml raises for a bad configuration (as opposed to bad text, which never raises:
problems with a report's text go to ``report.issues``). Kept free of heavy imports, so that the
command line can catch them without loading numpy."""
from __future__ import annotations


class ModelError(RuntimeError):
    """The model file is missing, corrupt or does not match its metadata."""
