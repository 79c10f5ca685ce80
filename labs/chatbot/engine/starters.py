"""The starter bots shipped in labs/chatbot/bots/*.bot.json (a Government 24-style consultation bot
in Korean, English, Arabic...). The learner starts from one (in the display language when there is
one, else English) or from an empty bot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from labs.chatbot.engine.bot import SUFFIX, Bot, BotFileError, load_bot

BOTS_DIR = Path(__file__).resolve().parents[1] / "bots"
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Starter:
    id: str  # the file name without .bot.json, e.g. "gov24-ko"
    name: str  # the bot's own name, in its language
    language: str
    path: Path


def starter_bots(folder: Path | None = None) -> list[Starter]:
    """The starter bots that can be read, sorted by id; a broken shipped file is skipped here (the
    tests load each one, so a broken file is caught before a release)."""
    folder = folder or BOTS_DIR
    starters = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        try:
            bot = load_bot(path)
        except BotFileError:
            continue
        starters.append(Starter(path.name[:-len(SUFFIX)], bot.name, bot.language, path))
    return starters


def load_starter(starter_id: str, folder: Path | None = None) -> Bot:
    """The starter bot `starter_id`; KeyError if no such starter ships."""
    path = (folder or BOTS_DIR) / f"{starter_id}{SUFFIX}"
    if "/" in starter_id or "\\" in starter_id or not path.is_file():
        raise KeyError(starter_id)
    return load_bot(path)


def default_starter(locale: str, folder: Path | None = None) -> Starter | None:
    """The starter to offer first: one in the learner's display language, else English, else any."""
    starters = starter_bots(folder)
    language = locale.replace("-", "_").split("_")[0]
    for wanted in (language, FALLBACK_LANGUAGE):
        for starter in starters:
            if starter.language.split("_")[0].split("-")[0] == wanted:
                return starter
    return starters[0] if starters else None
