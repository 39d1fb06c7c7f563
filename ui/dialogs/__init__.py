"""The few dialogs the window needs: preferences (reviewer name), a PDF password, a reason for a decision.

Every modal question goes through ``prompts.Prompts`` so tests can answer it without a dialog.
"""
