"""Bank texts made plain: quizzes here show text, not HTML, and Moodle banks are full of HTML.

Tags are dropped (paragraphs and line breaks kept as new lines), entities decoded, an image kept as
its alt text and reported. Regular expressions without nested repetition and str.find only: a
bank file cannot make this slow (html.parser has had quadratic cases)."""

from __future__ import annotations

import html
import re

from app.core.banks.model import Text

# A tag: '<', an optional '/', a name that the lookahead stops backtracking into, then anything but
# angle brackets. `[^<>]*` stops at the next '<', so failed matches cost no more than the text.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?![A-Za-z0-9])([^<>]*)>")
_ALT = re.compile(r"""\balt\s?=\s?(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s?=\s?(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_BLOCKS = {"p", "div", "li", "ul", "ol", "tr", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
           "dd", "dt", "dl", "section", "article", "header", "footer", "hr"}
_SPACES = re.compile(r"[ \t\r\f\v]+")
_PARAGRAPHS = re.compile(r"\n{3,}")


def plain(text: Text | None) -> tuple[str, list[str]]:
    """The text as a learner should read it, and the images it showed (their file names), if any."""
    if text is None:
        return "", []
    if text.format not in ("html", "moodle") or ("<" not in text.text and "&" not in text.text):
        return text.text, []
    images: list[str] = []

    def tag(match: re.Match) -> str:
        name = match.group(2).lower()
        if name == "br":
            return "\n"
        if name == "img":
            images.append(_attribute(_SRC, match.group(3)) or "?")
            return _attribute(_ALT, match.group(3))
        return "\n\n" if name in _BLOCKS else ""

    out = _TAG.sub(tag, _without_comments(text.text))
    out = html.unescape(out).replace("\u00a0", " ")
    lines = [_SPACES.sub(" ", line).strip() for line in out.split("\n")]
    return _PARAGRAPHS.sub("\n\n", "\n".join(lines)).strip(), images


def _attribute(pattern: re.Pattern, attributes: str) -> str:
    match = pattern.search(attributes)
    return next((g for g in match.groups() if g is not None), "") if match else ""


def _without_comments(text: str) -> str:
    out, start = [], 0
    while (opening := text.find("<!--", start)) >= 0:
        closing = text.find("-->", opening + 4)
        out.append(text[start:opening])
        if closing < 0:
            return "".join(out)
        start = closing + 3
    out.append(text[start:])
    return "".join(out)
