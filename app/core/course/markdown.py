"""Lessons in Markdown: checking, splitting into translatable blocks, and rendering to HTML.

The HTML targets Qt's rich-text subset (QTextBrowser), which knows tables and simple CSS but not
borders on divs, so callouts are one-cell tables with a tinted background. Raw HTML in lessons is
not rendered: content comes from other machines and must not be able to do anything but read.
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from app.core.course.source import PackageSource, normalise
from app.core.i18n import N_, _
from app.core.problems import Problem

CALLOUTS = {  # kind -> (title, tint, accent)
    "note": (N_("Note"), "#eef4fb", "#1f5fa8"),
    "tip": (N_("Tip"), "#edf7ee", "#2e7d32"),
    "warning": (N_("Warning"), "#fdf1e7", "#a4470b"),
    "case": (N_("Case study"), "#f3effa", "#5b3d99"),
}
_UNIT_OPENERS = {"paragraph_open", "heading_open", "bullet_list_open", "ordered_list_open", "table_open",
                 "blockquote_open"}


def _render_callout(kind: str):
    def render(self, tokens: list[Token], idx: int, _options, _env) -> str:
        title, tint, accent = CALLOUTS[kind]
        if tokens[idx].nesting == 1:
            return (f'<table class="callout" width="100%" cellpadding="12" cellspacing="0" bgcolor="{tint}">'
                    f'<tr><td><p style="color:{accent}; font-weight:600;">{html.escape(_(title))}</p>\n')
        return "</td></tr></table>\n"
    return render


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    for kind in CALLOUTS:
        md.use(container_plugin, name=kind, render=_render_callout(kind))
    return md


@dataclass(frozen=True)
class Block:
    """A run of lines of a lesson: a unit a translator translates whole, or fixed text."""

    start: int  # 0-based, inclusive
    end: int  # exclusive
    text: str
    translatable: bool
    kind: str  # the opening token type, e.g. "heading_open"
    tag: str  # e.g. "h2", "ul", "table"


def split_blocks(text: str) -> list[Block]:
    """The translatable blocks of a lesson: top-level blocks, and the blocks inside callouts."""
    lines = text.split("\n")
    blocks: list[Block] = []
    container_depth = 0
    for token in _parser().parse(text):
        if token.type.startswith("container_"):
            container_depth += token.nesting
            continue
        if token.map is None or token.level != container_depth or token.nesting == -1:
            continue
        start, end = token.map
        body = "\n".join(lines[start:end]).rstrip()
        translatable = token.type in _UNIT_OPENERS and bool(body.strip())
        blocks.append(Block(start, end, body, translatable, token.type, token.tag))
    return blocks


def apply_translation(text: str, translate) -> tuple[str, list[int], int]:
    """Replace each translatable block by `translate(block_text)` (None when untranslated).

    Returns the new text, the start lines (in the new text) of blocks left untranslated, and how
    many translatable blocks there were.
    """
    lines = text.split("\n")
    blocks = [b for b in split_blocks(text) if b.translatable]
    replaced: list[tuple[Block, list[str], bool]] = []
    for block in blocks:
        translated = translate(block.text)
        replaced.append((block, (translated if translated else block.text).split("\n"), not translated))
    out: list[str] = []
    untranslated_starts: list[int] = []
    cursor = 0
    for block, new_lines, missing in replaced:
        out.extend(lines[cursor:block.start])
        if missing:
            untranslated_starts.append(len(out))
        out.extend(new_lines)
        cursor = block.start + len(block.text.split("\n"))
    out.extend(lines[cursor:])
    return "\n".join(out), untranslated_starts, len(blocks)


def same_structure(source: str, translated: str) -> bool:
    """Whether a translated block kept its Markdown shape (a heading stays a heading of that level...)."""
    def shape(text: str) -> tuple:
        tokens = [t for t in _parser().parse(text) if t.level == 0 and t.nesting == 1]
        first = tokens[0] if tokens else None
        columns = sum(1 for t in _parser().parse(text) if t.type == "th_open")
        return (first.type, first.tag, columns) if first else ("", "", 0)
    return shape(source) == shape(translated)


def check_lesson(text: str, path: str, source: PackageSource, problems: list[Problem]) -> None:
    """Images must exist in the package, stay inside it, be local, and have alt text."""
    base = posixpath.dirname(path)
    for token in _parser().parse(text):
        if token.type != "inline" or not token.children:
            continue
        first_line = (token.map[0] + 1) if token.map else 0
        breaks = 0
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                breaks += 1
            if child.type != "image":
                continue
            line = first_line + breaks if first_line else 0
            src = str(child.attrs.get("src", ""))
            alt = "".join(c.content for c in (child.children or []))
            if "://" in src or src.startswith("data:"):
                problems.append(Problem(path, line, _("The image '{src}' is not in the package; the app works "
                                                      "offline, so copy the image into images/ and link to it.")
                                        .format(src=src)))
                continue
            target = normalise(posixpath.join(base, src))
            if target is None:
                problems.append(Problem(path, line, _("The image path '{src}' leads outside the package.")
                                        .format(src=src)))
            elif not source.exists(target):
                problems.append(Problem(path, line, _("The image '{src}' is missing (looked for {target}).")
                                        .format(src=src, target=target)))
            if not alt.strip():
                problems.append(Problem(path, line, _("The image '{src}' has no alt text; write what it shows "
                                                      "between the brackets: ![what it shows]({src}).")
                                        .format(src=src)))


LESSON_CSS = """
body { line-height: 160%; }
h1 { font-size: 170%; font-weight: 600; margin-top: 4px; margin-bottom: 14px; }
h2 { font-size: 135%; font-weight: 600; margin-top: 22px; margin-bottom: 8px; }
h3 { font-size: 115%; font-weight: 600; margin-top: 18px; margin-bottom: 6px; }
p, li { margin-bottom: 8px; }
pre { background-color: #f4f5f7; font-family: "Noto Sans Mono", monospace; }
code { background-color: #f4f5f7; font-family: "Noto Sans Mono", monospace; }
th { background-color: #eef0f3; font-weight: 600; }
table.data { border-collapse: collapse; }
.untranslated { background-color: #fff6d5; }
"""


def image_paths(text: str, path: str) -> list[str]:
    """Package paths of the images a lesson shows (as render_html resolves them)."""
    base = posixpath.dirname(path)
    found = []
    for token in _parser().parse(text):
        for child in token.children or ():
            if child.type == "image":
                resolved = normalise(posixpath.join(base, str(child.attrs.get("src", ""))))
                if resolved:
                    found.append(resolved)
    return found


def render_html(text: str, path: str, untranslated_starts: list[int] | None = None) -> str:
    """The lesson as HTML for QTextBrowser. Image src become package paths (resolved by the UI)."""
    md = _parser()
    tokens = md.parse(text)
    base = posixpath.dirname(path)
    marked = set(untranslated_starts or ())
    for token in tokens:
        if token.map and token.nesting == 1 and token.map[0] in marked and token.type in _UNIT_OPENERS:
            token.attrSet("class", "untranslated")
            marked.discard(token.map[0])
        if token.type == "table_open":
            token.attrSet("class", "data")
            token.attrSet("border", "1")
            token.attrSet("cellpadding", "6")
            token.attrSet("cellspacing", "0")
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "image":
                    resolved = normalise(posixpath.join(base, str(child.attrs.get("src", ""))))
                    child.attrSet("src", resolved or "")
    # Code reads left to right even inside an Arabic lesson (Qt honours dir on block elements).
    return md.renderer.render(tokens, md.options, {}).replace("<pre>", '<pre dir="ltr">')
