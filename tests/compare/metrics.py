#!/usr/bin/env python3
"""The measures of issue 21, counted over the non-test code of `src/`.

usage: tests/compare/metrics.py [SRC]   (default: src)

Non-test code is each file up to its `#[cfg(test)]` module (the project keeps tests in a
`mod tests` at the end of a file); comments and doc comments count as lines of a file
but are skipped by the pattern counts.

- `calc format!`: `format!(` calls in calc/;
- `calc pub Decimal`: `pub`/`pub(crate)`/`pub(super)` lines in calc/ that name `Decimal`;
- `calc I/O`: `std::env`, `std::fs`, `File::`, `/etc/`, `Timestamp::now`, `now()` in calc/;
- `calc flag names`: a `--word` in a string literal in calc/;
- `report .infusion`: how often report/ reads a batch's infusion (`.infusion` not after
  `formula`);
- `report kind matches`: how often report/ matches on a kind of preparation: a batch's
  (`batch.kind`, compounded or infusion) or a view's built from it (`label.kind`,
  `record.kind`); `of them on a batch` counts the batch's alone;
- `largest files`: the files over 600 non-test lines.
"""
import re
import sys
from pathlib import Path


def non_test(path):
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "#[cfg(test)]":
            return lines[:i]
    return lines


def code_lines(lines):
    """Lines without comments (`//`, `//!`, `///`)."""
    return [line for line in lines if not line.strip().startswith("//")]


def main():
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "src")
    files = sorted(src.rglob("*.rs"))
    calc = [f for f in files if "calc" in f.relative_to(src).parts[:1]]
    report = [f for f in files if "report" in f.relative_to(src).parts[:1]]

    def count(fs, pattern):
        out = []
        for f in fs:
            for n, line in enumerate(code_lines(non_test(f)), 1):
                if re.search(pattern, line):
                    out.append(f"{f.relative_to(src)}: {line.strip()}")
        return out

    measures = [
        ("calc format!", count(calc, r"\bformat!\(")),
        ("calc pub Decimal", count(calc, r"^\s*pub(\((crate|super)\))?\s.*\bDecimal\b")),
        ("calc I/O", count(calc, r"std::env|std::fs|File::|/etc/|Timestamp::now|\bnow\(\)")),
        ("calc flag names", count(calc, r'"[^"]*--[a-z][^"]*"')),
        ("report .infusion", count(report, r"(?<!formula)\.infusion\b")),
        ("report kind matches", count(report, r"\bmatch [(]?[a-z, ]*&[a-z.]*\bkind\b")),
        ("  of them on a batch", count(report, r"\bmatch [(]?[a-z, ]*&[a-z.]*\bbatch\.kind\b|\bmatch &b\.kind\b")),
    ]
    for name, hits in measures:
        print(f"{name}: {len(hits)}")
        for h in hits:
            print(f"    {h}")
    big = [(len(non_test(f)), f) for f in files if len(non_test(f)) > 600]
    print(f"files over 600 non-test lines: {len(big)}")
    for n, f in sorted(big, reverse=True):
        print(f"    {f.relative_to(src)}: {n}")


if __name__ == "__main__":
    main()
