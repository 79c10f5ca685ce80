"""The UI catalogs are complete and match the code (the same check CI runs as `i18n check`)."""

from __future__ import annotations

from app import i18n_catalogs
from app.core.i18n import _, set_locale, shipped_locales


def test_catalogs_are_complete_and_fresh():
    assert i18n_catalogs.problems() == []


def test_every_shipped_locale_translates_the_interface():
    try:
        for info in shipped_locales():
            set_locale(info.code)
            if info.code == "en":
                assert _("Start learning") == "Start learning"
            else:
                assert _("Start learning") != "Start learning", info.code
    finally:
        set_locale("en")


def test_check_catches_a_stale_or_broken_catalog(tmp_path, monkeypatch):
    po = tmp_path / "ko" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    real = i18n_catalogs._po_path("ko")
    text = real.read_text(encoding="utf-8")
    # Drop one placeholder from a translation and leave the .mo out: both must be reported.
    broken = text.replace('msgstr[0] "{n}개 단원"', 'msgstr[0] "단원"', 1)
    assert broken != text
    po.write_text(broken, encoding="utf-8")
    monkeypatch.setattr(i18n_catalogs, "_po_path", lambda code: po)
    found = i18n_catalogs.problems()
    assert any("out of date" in line for line in found)
    assert any("drops placeholder(s) ['{n}']" in line for line in found)
