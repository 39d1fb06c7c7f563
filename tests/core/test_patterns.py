"""core.patterns: the regular expressions compiled ahead are the ones ``re`` compiles, and a table that does
not fit is ignored."""

from __future__ import annotations

import marshal
import re
import subprocess
import sys
from pathlib import Path

from core.patterns import TABLE, entry, install, stamp, table_bytes
from core.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]


def test_every_pattern_of_the_table_is_what_re_compiles_of_it():
    made_by, entries = marshal.loads(resource_path(TABLE).read_bytes())
    assert len(entries) > 150
    if tuple(made_by) != stamp():  # made by another Python (another patch release): it must be left unused
        assert install() == 0
        return
    import _sre

    for pattern, flags, given, code, groups, groupindex, indexgroup in entries:
        ahead = _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
        now = re._compiler.compile(pattern, given)
        assert ahead == now, pattern  # Pattern equality: same pattern, flags and matcher code
        assert (ahead.groups, ahead.groupindex) == (now.groups, now.groupindex), pattern


def test_the_narrative_grammar_is_in_the_table():
    """The patterns every narrative compiles at start are served from the table (a pattern changed since the
    table was made is compiled as usual: a few may be missing until tools/make_pattern_table.py is run)."""
    code = ("import re, marshal, core.extraction.narrative.grammar as g\n"
            "from core.patterns import TABLE\nfrom core.resources import resource_path\n"
            "_, entries = marshal.loads(resource_path(TABLE).read_bytes())\n"
            "ahead = {(e[0], e[2]) for e in entries}\n"
            "ps = [v for v in vars(g).values() if isinstance(v, re.Pattern)]\n"
            "print(len(ps), sum((p.pattern, 0) in ahead for p in ps))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    n, served = map(int, out.split())
    assert n > 30 and served >= 0.9 * n, out


def test_every_pattern_core_compiles_at_import_is_in_the_table():
    """A pattern changed or added without making the table again silently costs its compile at every start
    again (the saving this table exists for): the patterns the core's modules compile when imported must all
    be served from it.  Fix: python3 tools/make_pattern_table.py."""
    code = ("import re, sys, pkgutil, importlib, marshal\n"
            "from core.patterns import TABLE\nfrom core.resources import resource_path\n"
            "_, entries = marshal.loads(resource_path(TABLE).read_bytes())\n"
            "ahead = {(e[0], e[2]) for e in entries}\n"
            "import core\n"
            "missed = set()\n"
            "orig = re._compile\n"
            "def rec(p, flags):\n"
            "    f = flags.value if isinstance(flags, re.RegexFlag) else flags\n"
            "    if isinstance(p, str) and (p, f) not in ahead:\n"
            "        fr = sys._getframe(1)\n"
            "        while fr and fr.f_code.co_filename.endswith(('re/__init__.py', 're/_compiler.py')):\n"
            "            fr = fr.f_back\n"
            "        if fr and '/core/' in fr.f_code.co_filename.replace('\\\\', '/'):\n"
            "            missed.add((fr.f_code.co_filename.rsplit('core', 1)[-1], p[:60]))\n"
            "    return orig(p, flags)\n"
            "re._compile = rec\n"
            "for m in pkgutil.walk_packages(core.__path__, 'core.'):\n"
            "    importlib.import_module(m.name)\n"
            "print(len(missed)); [print(*x) for x in sorted(missed)]")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split("\n", 1)[0] == "0", "not in resources/patterns.bin (run tools/make_pattern_table.py):\n" + out


def test_a_table_that_does_not_fit_is_ignored(tmp_path):
    other = tmp_path / "other.bin"
    other.write_bytes(marshal.dumps(((2, 7), [entry(r"(?P<y>\d{4})年", 0)])))
    assert install(other) == 0
    damaged = tmp_path / "damaged.bin"
    damaged.write_bytes(b"\x00not a table")
    assert install(damaged) == 0
    assert install(tmp_path / "missing.bin") == 0
    assert re.compile(r"(?P<y>\d{4})年").match("2024年").group("y") == "2024"


def test_a_pattern_of_the_table_is_served_by_re(tmp_path):
    pattern = r"(?P<n>\d+)\s*万元(?!以上)测试专用"
    table = tmp_path / "t.bin"
    table.write_bytes(table_bytes([(pattern, 0)]))
    re.purge()
    assert install(table) == 1
    got = re.compile(pattern)
    assert got is re._cache[(str, pattern, 0)]
    assert got.search("合计 12 万元测试专用").group("n") == "12"
    assert install(table) == 0  # already there
    re.purge()
