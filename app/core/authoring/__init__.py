"""Authoring: a trainer edits a course package offline. Qt-free; the course editor screen drives it.

    document = CourseDocument.open(principal, folder)
    document.apply(commands.EditLesson("intro", "# Intro\\n..."))
    document.problems(lab_ids())          # the same file:line messages as `course check`
    save_course(principal, document)      # atomic: the old course or the new one, never half
"""
