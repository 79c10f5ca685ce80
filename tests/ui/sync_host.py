"""The lab screen's host for panel tests: runs each job at once on the calling thread."""

from __future__ import annotations

from pathlib import Path

from app.core.tasks import Cancelled, TaskState


class SyncHost:
    def __init__(self, files_dir: Path, locale: str = "en", cancel: bool = False):
        self.files_dir, self.locale = files_dir, locale
        self.cancel = cancel  # True: every job sees Cancel pressed before it starts
        self.told: list[tuple[str, str]] = []
        self.labels: list[str] = []
        self.opened_lessons: list[str] = []

    def run(self, fn, on_done, label, on_error=None, on_cancel=None):
        self.labels.append(label)
        state = TaskState()
        if self.cancel:
            state.request_cancel()
        try:
            result = fn(state)
        except Cancelled:
            if on_cancel:
                on_cancel()
            return
        except Exception as error:
            if on_error is None:
                raise
            on_error(error)
            return
        on_done(result)

    def tell(self, title: str, message: str) -> None:
        self.told.append((title, message))

    def lessons(self) -> list[tuple[str, str]]:
        return [("automation-and-chatbots/chatbot-design", "Chatbots: Designing a consultation bot"),
                ("ai-foundations/what-is-ai", "AI foundations: What AI is")]

    def open_lesson(self, target: str) -> bool:
        if target not in dict(self.lessons()):
            return False
        self.opened_lessons.append(target)
        return True
