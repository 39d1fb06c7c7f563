"""Item models: thin Qt adapters over the review session's plain data.

Why they are thin: the session owns every value, finding and decision; a model only answers Qt's questions
about them and turns a ``core.review.ChangeSet`` into ``dataChanged`` / row inserts for exactly what changed
(napari's ``_base_item_model`` habit).  Every model here is run through ``qtmodeltester`` in tests/ui.
"""
