"""Command line: ``gxml parse``, ``gxml train``, ``gxml bench`` (a thin layer over the API)."""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    from .batch import add_parse_arguments
    from .bench import add_bench_arguments
    from .train import add_train_arguments

    ap = argparse.ArgumentParser(prog="gxml", description="Recover the statistical tables of "
                                 "政府信息公开工作年度报告 from broken text.")
    ap.add_argument("--version", action="version", version=f"gxml {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    add_parse_arguments(sub.add_parser("parse", help="parse report files (JSON lines out)"))
    add_train_arguments(sub.add_parser("train", help="train a line-tagger model"))
    add_bench_arguments(sub.add_parser("bench", help="accuracy and speed on labelled data sets"))
    return ap


def main(argv: Optional[List[str]] = None) -> int:
    from .errors import ModelError

    ap = build_parser()
    args = ap.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("gxml: interrupted", file=sys.stderr)
        return 130
    except (OSError, ValueError, ModelError) as e:  # user-facing errors: no traceback
        print(f"gxml {args.command}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
