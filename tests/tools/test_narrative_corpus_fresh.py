"""The committed narrative frame corpus is the current output of tools/make_narrative_corpus.py."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.make_narrative_corpus import OUT, build, dump  # noqa: E402


def test_frames_jsonl_is_fresh():
    assert OUT.read_text(encoding="utf-8") == dump(build()), "run: python tools/make_narrative_corpus.py"
