"""Cohorts of learners a trainer runs: groups (offices), members from staff lists, course assignments
with due dates, and the small file that carries assignments to learners' machines.

    fields.py           one member's fields checked the same way everywhere (name, staff number, language...)
    staff_list.py       a staff list (CSV or XLSX) read into rows, with every bad row reported
    store.py            `Cohorts`: create, rename, archive, groups, members, enrolment, assignments
    assignment_file.py  export a cohort's assignments; import them on a learner's machine; assignments_for
"""
