"""Decide between the window and a headless command, importing as little as possible first."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

COMMANDS = ("course", "bench", "i18n", "data", "lab", "chatbot", "account", "quiz", "certificate", "report", "cohort",
            "progress")


def global_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="Civic AI Academy: offline AI training for "
                                     "public servants. Without a command, opens the app.")
    parser.add_argument("--data-dir", help="folder for the learning record and settings (default: the per-user "
                        "data folder; also $CIVICAI_DATA_DIR)")
    parser.add_argument("--locale", help="interface language for this run, e.g. en or ko")
    parser.add_argument("--self-test", action="store_true", help="open the window offscreen, load every course "
                        "and the lab stack, print one JSON line, exit 0 when all is well")
    parser.add_argument("--exit-after", choices=("paint", "catalogue"), help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command_at = next((i for i, a in enumerate(argv) if a in COMMANDS), None)
    if command_at is not None:
        from app.cli import run_command

        return run_command(argv)
    args = global_parser().parse_args(argv)
    from app.core.paths import data_dir

    if args.self_test:
        if "QT_QPA_PLATFORM" not in os.environ:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        if not args.data_dir:
            args.data_dir = tempfile.mkdtemp(prefix="civicai-selftest-")
    from app.ui.application import run_gui

    return run_gui(data_dir(args.data_dir), args.locale, self_test=args.self_test, exit_after=args.exit_after)
