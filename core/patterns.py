"""The program's regular expressions compiled ahead of time, like its bytecode.

Compiling a pattern is pure Python work in ``re`` (parse, optimise, emit the matcher's code): the ~230
patterns a ``main.py extract`` compiles cost about 40 ms at every start, most of it character classes of
Chinese text.  ``resources/patterns.bin`` holds, for each pattern the program compiles, the code ``re`` makes
of it; ``install`` hands that code to the matcher (``_sre.compile``, what ``re`` itself ends with) and puts
the finished patterns into ``re``'s own cache, so every ``re.compile``/``re.search`` of the program finds its
pattern there (~1 ms for all of them).

What it depends on, and why it cannot give a different pattern: the table is made by this Python's ``re``
(``tools/make_pattern_table.py``) and stamped with the Python version, the matcher's magic number and
Unicode version; a table made by another Python, or unreadable, is ignored and ``re`` compiles as usual.
A pattern not in the table (a new or changed one) is compiled as usual.  It holds nothing of any document:
the same table serves every package (tests/core/test_patterns.py compares each entry with what ``re``
compiles).  Regenerate it when patterns change (a stale table only costs the start-up it no longer saves).
"""

from __future__ import annotations

import marshal
import re
import sys
from pathlib import Path

TABLE = "patterns.bin"


def stamp() -> tuple:
    """What the compiled code depends on: the Python version, the matcher's version and the Unicode data."""
    import _sre
    import unicodedata

    # the whole version: a patch release may change what the compiler emits without a new magic number; a
    # bundle ships the Python its table was made with, another install compiles as usual
    return (tuple(sys.version_info[:3]), _sre.MAGIC, _sre.CODESIZE, unicodedata.unidata_version)


def install(path: Path | None = None) -> int:
    """Put the table's patterns into ``re``'s cache; the number put there (0 when there is no usable table:
    missing, damaged, or made by another Python).  Never raises: it only saves time."""
    try:
        import _sre

        if path is None:
            from core.resources import resource_path

            path = resource_path(TABLE)
        made_by, entries = marshal.loads(path.read_bytes())
        if tuple(made_by) != stamp():
            return 0
        cache = re._cache  # re's own cache, keyed as re._compile looks patterns up
        n = 0
        for pattern, flags, given, code, groups, groupindex, indexgroup in entries:
            key = (str, pattern, given)
            if key not in cache:
                cache[key] = _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
                n += 1
        return n
    except Exception:  # noqa: BLE001 - any problem with the table: re compiles as it always does
        return 0


def entry(pattern: str, flags: int) -> tuple:
    """The table's record of one pattern: what ``re._compiler.compile`` passes to ``_sre.compile``."""
    from re import _compiler, _parser

    p = _parser.parse(pattern, flags)
    code = _compiler._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup = [None] * p.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (pattern, int(flags | p.state.flags), int(flags), [int(c) for c in code], p.state.groups - 1,
            groupindex, tuple(indexgroup))


def table_bytes(patterns: list[tuple[str, int]]) -> bytes:
    """The table of ``patterns`` (pattern, flags) for this Python."""
    return marshal.dumps((stamp(), [entry(p, f) for p, f in patterns]))
