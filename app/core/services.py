"""What the app needs once the window is up: the learning record and the course catalogue.

`start_services` is the long work done right after the first paint, off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.course.catalogue import Catalogue, load_catalogue
from app.core.i18n import _
from app.core.paths import user_courses_dir
from app.core.record.store import LearningRecord
from app.core.resources import bundled_courses_dir
from app.core.storage.database import Database, open_database
from app.core.tasks import TaskState


@dataclass
class Services:
    data_dir: Path
    database: Database
    record: LearningRecord
    catalogue: Catalogue

    def close(self) -> None:
        self.database.dispose()


def course_folders(data_dir: Path) -> list[Path]:
    """Bundled courses first; courses a trainer installed in the data folder override them by id."""
    return [bundled_courses_dir(), user_courses_dir(data_dir)]


def start_services(data_dir: Path, locale: str, state: TaskState) -> Services:
    state.set_progress(0, 3, _("Opening your learning record…"))
    database = open_database(data_dir)
    try:
        record = LearningRecord(database)
        record.installation_id()
        state.raise_if_cancelled()
        state.set_progress(1, 3, _("Loading courses…"))
        from app.core.course.sharing import recover_interrupted_imports  # here: off the first-paint path

        recover_interrupted_imports(user_courses_dir(data_dir))  # a course moved aside by a crash mid-import
        catalogue = load_catalogue(course_folders(data_dir), locale, state)
    except BaseException:
        database.dispose()
        raise
    state.set_progress(3, 3)
    return Services(data_dir, database, record, catalogue)
