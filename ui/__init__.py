"""The review window: a PySide6 client of ``core``.

Why it exists apart from ``core``: everything here only *shows* a case and turns the reviewer's gestures into
calls on ``core.review.ReviewSession``; the work itself (reading, checking, saving, exporting) is the core's.
Nothing in ``core`` may import from here (tests/test_layering.py).
"""
