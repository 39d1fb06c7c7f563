"""The parts of the review window (``ui.main_window.MainWindow``), one file per responsibility:

- ``opening``     opening a package or a saved review, the review in place, closing it
- ``correcting``  corrections (in place, card, by hand), undo/redo, what follows a change
- ``navigation``  what a click on a field, indicator or finding shows; F8; decisions on findings
- ``workspace``   the district's list of departments beside the review
- ``export``      Excel export
- ``common``      title, file keys, check names

``MainWindow`` builds the widgets and the menus and mixes these in; each part reads the attributes the
window built.
"""
