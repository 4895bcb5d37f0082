"""gxml: recover the statistical tables of 政府信息公开工作年度报告 from broken text.

    import gxml
    r = gxml.parse(text)            # ML pipeline with the shipped model
    r.template, r.cells, r.confidence, r.issues
    reports = gxml.parse_all(text)  # a file holding several reports: one per report
"""
__version__ = "0.1.0"

from .api import Parser, parse, parse_all, parse_file, parse_file_all  # noqa: E402
from .report import Report  # noqa: E402

__all__ = ["Parser", "Report", "parse", "parse_all", "parse_file", "parse_file_all", "__version__"]
