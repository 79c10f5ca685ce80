"""The data-analysis lab family: browse, clean, summarise and chart a table, the learner's own or ours.

engine/   no Qt: reading files (reading.py), column profiles, steps with their pandas code,
          charts as data, exports, and the workspace that ties them into one snapshot
open_data.py  the "Explore and clean citizen complaints" lab: tasks, checks, reference, mistakes
panel.py  the Qt work area (table, profile, steps, chart, import and export dialogs)
cli.py    `python main.py data profile FILE --json`
"""
