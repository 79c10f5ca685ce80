"""Reports on a cohort (or on every learner this machine knows) for one or more courses: who started
and finished what, quiz scores, which questions everyone gets wrong, completions over time, who is
overdue. One `Report` (tables of typed cells) is what screens, CSV and XLSX all render, so the numbers
they show are the same numbers.

    model.py      Report, Table, Column: the one structure
    sources.py    learners and statements read from the database (this installation's and collected)
    matching.py   cohort members matched to learners by staff number, then by name
    questions.py  per-question difficulty and the wrong answers decoded to the quiz's own texts
    build.py      build_report: the long-running task (TaskState) that assembles the tables
    export.py     CSV (UTF-8 with BOM) and XLSX (one sheet per table), written atomically
"""
