"""An import plan said in sentences, in the UI language: for `course import` and the import dialog."""

from __future__ import annotations

from app.core.course.sharing import ImportPlan
from app.core.formatting import isolated, number
from app.core.i18n import _, current_locale, locale_info, ngettext

MAX_LISTED = 20  # file names shown per kind of change; the JSON output lists them all


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return _("{kb} KB").format(kb=number(max(1, round(size / 1024))))
    return _("{mb} MB").format(mb=number(round(size / (1024 * 1024), 1)))


def _path(path) -> str:
    """A folder or file path kept left to right inside an Arabic sentence."""
    return isolated(str(path)) if locale_info(current_locale()).rtl else str(path)


def plan_lines(plan: ImportPlan) -> list[str]:
    lines = [
        _("Course: {title} ({id}), version {version}").format(title=plan.title, id=plan.course_id,
                                                              version=plan.version),
        _("Languages: {codes}").format(codes=", ".join(plan.languages)),
        # TRANSLATORS: e.g. "Contains: 3 lessons, 2 quizzes (14 questions), 5 images, 1 lab; 12 files, 340 KB"
        _("Contains: {lessons}, {quizzes} ({questions}), {images}, {labs}; {files}, {size}").format(
            lessons=ngettext("{n} lesson", "{n} lessons", plan.lessons).format(n=plan.lessons),
            quizzes=ngettext("{n} quiz", "{n} quizzes", plan.quizzes).format(n=plan.quizzes),
            questions=ngettext("{n} question", "{n} questions", plan.questions).format(n=plan.questions),
            images=ngettext("{n} image", "{n} images", plan.images).format(n=plan.images),
            labs=ngettext("{n} lab", "{n} labs", plan.labs).format(n=plan.labs),
            files=ngettext("{n} file", "{n} files", len(plan.files)).format(n=len(plan.files)),
            size=size_text(plan.total_bytes)),
    ]
    installed = plan.installed
    if installed is None:
        lines.append(_("New on this PC: it will be installed in {folder}.").format(folder=_path(plan.target)))
    else:
        relation = {"newer": _("the package is newer"), "older": _("the package is older"),
                    "same": _("the same version")}.get(installed.package_is, _("versions not comparable"))
        lines.append(_("Replaces version {version} installed in {folder} ({relation}).").format(
            version=installed.version, folder=_path(installed.location), relation=relation))
        lines.append(_("Files: {added} added, {changed} changed, {removed} removed.").format(
            added=len(plan.added), changed=len(plan.changed), removed=len(plan.removed)))
        for mark, paths in (("+", plan.added), ("~", plan.changed), ("-", plan.removed)):
            lines.extend(f"  {mark} {_path(path)}" for path in paths[:MAX_LISTED])
            if len(paths) > MAX_LISTED:
                more = len(paths) - MAX_LISTED
                lines.append("  " + ngettext("… and {n} more", "… and {n} more", more).format(n=more))
    for path in plan.also_removed:
        lines.append(_("Also removes another copy of this course: {path}").format(path=_path(path)))
    if plan.bundled is not None and plan.bundled.package_is != "older":  # an older package has its own warning
        lines.append(_("The app comes with version {version} of this course; the imported one is shown instead.")
                     .format(version=plan.bundled.version))
    lines.extend(_("Warning: {text}").format(text=text) for text in plan.warnings)
    return lines
