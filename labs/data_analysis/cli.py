"""`python main.py data profile FILE [--json]`: read a file exactly as the lab's import does and describe it.

app/cli.py wires the command; the work is here so it stays Qt-free and testable:

    try:
        summary = profile_file(path)            # JSON-able dict
    except UnreadableFile as err:               # str(err) names the file (and line) and what to do
        print(err, file=sys.stderr); return 1
    print(json.dumps(summary, ensure_ascii=False)) or print(profile_text(summary))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.core.formatting import number
from app.core.i18n import _
from app.core.tasks import TaskState
from labs.data_analysis.engine.profile import kind_label, profile_frame
from labs.data_analysis.engine.reading import ReadOptions, UnreadableFile, read_table

__all__ = ["UnreadableFile", "profile_file", "profile_text"]


def profile_file(path: Path, options: ReadOptions | None = None, state: TaskState | None = None) -> dict[str, Any]:
    """rows, columns [{name, type, missing, distinct}], encoding, delimiter, decimal, date_columns,
    skipped [{line, message}], short_lines, header_line, format, sheet, notes. Raises UnreadableFile."""
    result = read_table(Path(path), state, options)
    profiles = profile_frame(result.frame, state)
    return {
        "file": Path(path).name,
        "format": result.format,
        "rows": len(result.frame),
        "columns": [{"name": p.name, "type": p.kind, "missing": p.missing, "distinct": p.distinct}
                    for p in profiles],
        "encoding": result.encoding,
        "delimiter": result.delimiter,
        "decimal": result.decimal,
        "date_columns": dict(result.date_columns),
        "header_line": result.header_line,
        "sheet": result.sheet,
        "skipped": [{"line": line, "message": message} for line, message in result.skipped],
        "skipped_count": result.skipped_count,
        "short_lines": [{"line": line, "message": message} for line, message in result.short_lines],
        "short_count": result.short_count,
        "notes": list(result.notes),
    }


def profile_text(summary: dict[str, Any]) -> str:
    """The same summary for a person reading a terminal."""
    lines = [_("{file}: {rows} rows, {columns} columns").format(file=summary["file"], rows=number(summary['rows']),
                                                              columns=len(summary["columns"]))]
    if summary["format"] == "csv":
        lines.append(_("encoding {encoding}, delimiter {delimiter}, decimal {decimal}").format(
            encoding=summary["encoding"], delimiter=repr(summary["delimiter"]), decimal=repr(summary["decimal"])))
    else:
        lines.append(_("Excel sheet {sheet}").format(sheet=summary["sheet"]))
    width = max([len(c["name"]) for c in summary["columns"]] + [4])
    for column in summary["columns"]:
        lines.append("  " + _("{name}  {type}, {missing} missing").format(
            name=column["name"].ljust(width), type=kind_label(column["type"]), missing=number(column['missing'])))
    for entry in summary["skipped"] + summary["short_lines"]:
        lines.append("  " + entry["message"])
    lines += ["  " + note for note in summary["notes"]]
    return "\n".join(lines)
