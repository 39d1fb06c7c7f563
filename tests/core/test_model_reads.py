"""Which field values a computation read (``core.model.compute_tracked``) is noted per thread: a check run in a
background job (the window's reading or export) and the UI thread reading values at the same time must neither
lend nor lose reads — a lost read would leave a finding stale after an edit."""

from __future__ import annotations

import threading
from decimal import Decimal

from core.model import Field, SourceRef, compute_tracked, tracking


def _field(fid: str) -> Field:
    f = Field("basic.staff", Decimal(1), "人", "1", SourceRef("d1", 1, (0.0, 0.0, 1.0, 1.0)))
    f.id = fid
    return f


def test_reads_are_noted_on_the_thread_that_computes_only():
    mine, theirs = _field("f1"), _field("f2")
    inside = threading.Event()
    done = threading.Event()
    other_reads: set[str] = set()

    def other_thread():
        def compute():
            inside.set()
            done.wait(5)  # stays inside its tracked computation while the main thread reads and computes
            return theirs.value

        compute_tracked(other_reads, compute)

    t = threading.Thread(target=other_thread)
    t.start()
    assert inside.wait(5)
    assert not tracking()  # the other thread's computation is not this thread's
    mine.value  # noqa: B018 — a read outside any computation of this thread is noted nowhere
    my_reads: set[str] = set()
    compute_tracked(my_reads, lambda: mine.value)
    done.set()
    t.join(5)
    assert my_reads == {"f1"}
    assert other_reads == {"f2"}


def test_a_nested_computation_credits_its_reads_to_the_one_that_asked():
    a, b = _field("a"), _field("b")
    outer: set[str] = set()
    inner: set[str] = set()
    compute_tracked(outer, lambda: (a.value, compute_tracked(inner, lambda: b.value)))
    assert inner == {"b"} and outer == {"a", "b"}
    assert not tracking()
