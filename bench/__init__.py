"""The benchmark of design §7 (`python main.py bench`): the figures that need no Qt.

core: the Figure row, medians, SQL capture and raw replay, the table and JSON; demo_cache: the cached demo
database; queries: search, 工作台 lists, roster; data: the Excel import and the engine. The GUI figures are in
bench/gui_start.py, the document figures in bench/command.py (they join models with reports).
"""
