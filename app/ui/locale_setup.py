"""Qt's side of the language: default QLocale, layout direction, Qt's own translations, fonts.

Done before any widget exists (Anki's setupLangAndBackend), and again on a language change.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from app.core.i18n import locale_info

_translators: list[QTranslator] = []  # keep references: Qt does not own them


def apply_qt_locale(app: QApplication, code: str) -> None:
    QLocale.setDefault(QLocale(code))
    info = locale_info(code)
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if info.rtl else Qt.LayoutDirection.LeftToRight)
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(code), "qtbase", "_", folder):
        app.installTranslator(translator)
        _translators.append(translator)


def prepare_application(app: QApplication, code: str) -> None:
    """Everything Qt needs before the first window: locale, direction, translations, bundled fonts."""
    from app.ui.fonts import localised_font, register_bundled_fonts

    apply_qt_locale(app, code)
    register_bundled_fonts()  # before the first paint: the loading screen may be in Khmer
    app.setFont(localised_font(app.font(), code))
