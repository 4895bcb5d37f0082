"""The one-call entry points, :func:`parse` and :func:`parse_file`, and the :class:`Parser` behind them."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Iterable, Iterator, List, Optional, Union

from .report import Report

METHODS = ("ml", "rules")
MAX_CHARS = 2_000_000  # a report is ~10-50k characters; beyond this only the head is parsed
MAX_MARKUP_CHARS = 4 * MAX_CHARS  # HTML source is read up to this (markup is mostly tags)


class Parser:
    """A configured parser, created once and reused.

    ``method="ml"`` tags items with the line classifier (``model``: a path, a
    :class:`~gxml.tagger.LineTagger`, or None for the shipped default) and decodes with the
    constrained decoder; ``method="rules"`` is the rule-based baseline.
    """

    def __init__(self, method: str = "ml", model=None):
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
        self.method = method
        self.model = model
        self._tagger = None

    @property
    def tagger(self):
        """The line classifier, loaded on first use."""
        if self._tagger is None:
            from .tagger import LineTagger, load_default

            if self.model is None:
                self._tagger = load_default()
            elif isinstance(self.model, (str, os.PathLike)):
                self._tagger = LineTagger.load(self.model)
            else:
                self._tagger = self.model
        return self._tagger

    def parse(self, text: str, source: Optional[str] = None) -> Report:
        """Parse report text; never raises on bad text (problems go to ``report.issues``)."""
        from .pipeline import run

        return self._guarded("parse", text, source, lambda t: [
            run(t, method=self.method, tagger=self.tagger if self.method == "ml" else None)])[0]

    def parse_all(self, text: str, source: Optional[str] = None) -> List[Report]:
        """Parse text that may hold several reports (a volume of an office's subordinate
        agencies): one report per copy of the tables, in text order; text with one gives one,
        as :meth:`parse` does. The rules baseline reads one report only."""
        from .pipeline import run_all

        if self.method != "ml":
            return [self.parse(text, source)]
        return self._guarded("parse_all", text, source, lambda t: run_all(t, self.tagger))

    def _guarded(self, name: str, text: str, source: Optional[str], parse) -> List[Report]:
        """``parse(text)`` (a list of reports) that never raises on bad text: HTML source is
        read as a page and flagged, an overlong text is cut and flagged, a parser bug flagged
        as ``internal_error`` (a batch goes on)."""
        if not isinstance(text, str):
            raise TypeError(f"{name}() takes text (str), not {type(text).__name__}; use parse_file() for paths")
        from .readers.html import looks_like_html, markup_text

        markup = looks_like_html(text)
        cut = markup and len(text) > MAX_MARKUP_CHARS
        if markup:  # a page's source: read as parse_file reads an .html file
            text = markup_text(text[:MAX_MARKUP_CHARS])
        truncated = cut or len(text) > MAX_CHARS
        try:
            reps = parse(text[:MAX_CHARS] if truncated else text)
        except Exception as e:  # a parser bug must not kill a batch: flag it instead
            reps = [Report(method=self.method)]
            reps[0].add_issue("internal_error", f"{type(e).__name__}: {e}")
        for rep in reps:
            rep.source = source
            if markup:
                rep.add_issue("markup", "the text was HTML source: read as a web page, tags dropped "
                              "(line numbers count lines of the page's text)")
            if truncated:
                rep.add_issue("truncated", f"input longer than {MAX_CHARS} characters; only the start was parsed")
        return reps

    def parse_file(self, path: Union[str, os.PathLike]) -> Report:
        """Read a report file (.txt/.md/.html/.docx/.pdf, any common encoding) and parse it."""
        return self._parse_read(path, lambda text: [self.parse(text, source=str(path))])[0]

    def parse_file_all(self, path: Union[str, os.PathLike]) -> List[Report]:
        """Read a file that may hold several reports and parse each (:meth:`parse_all`)."""
        return self._parse_read(path, lambda text: self.parse_all(text, source=str(path)))

    def _parse_read(self, path: Union[str, os.PathLike], parse) -> List[Report]:
        """``parse`` the text of file ``path``; a file that cannot be read gives one report
        with a ``read_error`` issue."""
        from .readers import ReaderError, read_file

        try:
            text = read_file(path)
        except ReaderError as e:
            rep = Report(method=self.method, source=str(path))
            rep.add_issue("read_error", str(e))
            return [rep]
        return parse(text)

    def parse_many(self, paths: Iterable[Union[str, os.PathLike]]) -> Iterator[Report]:
        """Parse files one after another, yielding a report for each (errors flagged, never raised)."""
        for p in paths:
            yield self.parse_file(p)


@lru_cache(maxsize=None)
def _default_parser(method: str) -> Parser:
    return Parser(method=method)


def _parser(method: str, model) -> Parser:
    return _default_parser(method) if model is None else Parser(method=method, model=model)


def parse(text: str, method: str = "ml", model=None) -> Report:
    """Parse the text of one annual report: ``gxml.parse(text).cells``."""
    return _parser(method, model).parse(text)


def parse_all(text: str, method: str = "ml", model=None) -> List[Report]:
    """Parse text that may hold several reports: one report per copy of the tables."""
    return _parser(method, model).parse_all(text)


def parse_file(path: Union[str, os.PathLike], method: str = "ml", model=None) -> Report:
    """Read and parse one report file: ``gxml.parse_file("report.pdf").cells``."""
    return _parser(method, model).parse_file(path)


def parse_file_all(path: Union[str, os.PathLike], method: str = "ml", model=None) -> List[Report]:
    """Read a file that may hold several reports and parse each: one report per copy of the tables."""
    return _parser(method, model).parse_file_all(path)
