"""Ten languages: plural rules as agreed, Babel formatting, bundled fonts that cover every text,
and a new locale added by data alone."""

from __future__ import annotations

import gettext
import io
import shutil
from pathlib import Path

import pytest

from app import i18n_catalogs
from app.core import formatting, i18n
from app.core.i18n import _, locale_info, ngettext, set_locale, shipped_locales
from tests.conftest import ROOT

TEN = {"ko", "en", "es", "fr", "ar", "ru", "vi", "id", "km", "uz"}


def test_the_ten_languages_are_shipped_with_their_own_names():
    codes = {info.code for info in shipped_locales()}
    assert codes == TEN
    names = {info.code: info.name for info in shipped_locales()}
    assert names["ko"] == "한국어" and names["ar"] == "العربية" and names["km"] == "ខ្មែរ"
    assert names["uz"] == "Oʻzbekcha" and names["ru"] == "Русский"
    assert [info.code for info in shipped_locales() if info.rtl] == ["ar"]


@pytest.mark.parametrize("code", sorted(TEN))
def test_plural_examples_fall_in_each_form_in_order(code):
    info = locale_info(code)
    forms = int(info.plural_forms.split("nplurals=")[1].split(";")[0])
    plural = gettext.c2py(info.plural_forms.split("plural=")[1].rstrip(";"))
    assert len(info.plural_examples) == forms
    assert [plural(n) for n in info.plural_examples] == list(range(forms))


def test_arabic_has_six_forms_and_korean_one():
    arabic = gettext.c2py(locale_info("ar").plural_forms.split("plural=")[1].rstrip(";"))
    assert [arabic(n) for n in (0, 1, 2, 5, 103, 11, 99, 111, 100, 101, 102)] == [0, 1, 2, 3, 3, 4, 4, 4, 5, 5, 5]
    assert locale_info("ko").plural_forms.startswith("nplurals=1;")
    assert locale_info("id").plural_forms.startswith("nplurals=1;")  # CLDR: one form (Babel says two)


def test_header_check_rejects_babels_own_arabic_and_indonesian_formulas():
    from babel.messages.catalog import Catalog

    assert i18n_catalogs.plural_header_problem(Catalog(locale="ar").plural_forms, "ar") is not None
    assert i18n_catalogs.plural_header_problem(Catalog(locale="id").plural_forms, "id") is not None
    assert i18n_catalogs.plural_header_problem(locale_info("ar").plural_forms.replace(" ", ""), "ar") is None


def test_check_reports_an_empty_plural_form_and_a_wrong_header(tmp_path, monkeypatch):
    real = i18n_catalogs._po_path("ar").read_text(encoding="utf-8")
    broken = real.replace("n%100>=11 ? 4 : 5", "n%100>=0 && n%100<=2 ? 4 : 5", 1)
    start = broken.index("msgstr[5] ")  # empty the sixth form of the first plural entry
    end = broken.index("\n", start)
    broken = broken[:start] + 'msgstr[5] ""' + broken[end:]
    po = tmp_path / "messages.po"
    po.write_text(broken, encoding="utf-8")
    monkeypatch.setattr(i18n_catalogs, "_po_path", lambda code: po if code == "ar" else i18n_catalogs.localisation_dir()
                        / code / "LC_MESSAGES" / "messages.po")
    found = [line for line in i18n_catalogs.problems() if str(po) in line]
    assert any("Plural-Forms is" in line for line in found)
    assert any("plural form is empty" in line for line in found)


def test_msgfmt_check_fails_on_a_broken_po(tmp_path):
    bad = tmp_path / "bad.po"
    bad.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                   'msgid "{n} lesson"\nmsgid_plural "{n} lessons"\nmsgstr[0] "x"\n', encoding="utf-8")
    assert i18n_catalogs.msgfmt_problems([bad]) != []
    assert i18n_catalogs.msgfmt_problems([i18n_catalogs._po_path("ko")]) == []


def test_arabic_plurals_use_the_agreed_formula_at_run_time():
    """Each example number gets the form the catalog has at that index (the .mo carries our header)."""
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(i18n_catalogs._po_path("ar").read_bytes()), locale="ar")
    forms = catalog.get(("{n} lesson", "{n} lessons")).string
    assert len(forms) == 6 and len(set(forms)) >= 5  # zero and 100+ may share a wording
    set_locale("ar")
    assert [ngettext("{n} lesson", "{n} lessons", n) for n in locale_info("ar").plural_examples] == list(forms)
    set_locale("ko")
    assert ngettext("{n} lesson", "{n} lessons", 1) == ngettext("{n} lesson", "{n} lessons", 7)


def test_numbers_dates_and_durations_follow_the_locale():
    set_locale("ko")
    assert formatting.date("2026-11-21T09:00:00+09:00") == "2026년 11월 21일"
    set_locale("ru")
    assert formatting.number(12345.5) == "12\xa0345,5"
    assert formatting.date("2026-11-21T12:00:00Z") == "21 ноября 2026\u202fг."
    set_locale("fr")
    assert formatting.percent(85) == "85\xa0%" and formatting.percent(85.25, 1) == "85,2\xa0%"
    set_locale("ar")
    assert "نوفمبر" in formatting.date("2026-11-21T12:00:00Z")
    set_locale("en")
    assert formatting.minutes(150) == "2 hours 30 minutes"
    assert formatting.minutes(1) == "1 minute"


def test_every_catalog_translates_every_plural_entry_in_its_language():
    for info in shipped_locales():
        if info.code == "en":
            continue
        set_locale(info.code)
        for n in info.plural_examples:
            assert ngettext("{n} lesson", "{n} lessons", n) not in ("{n} lesson", "{n} lessons"), (info.code, n)


# ------------------------------------------------------------------------------------------ fonts

def _bundled_cmaps() -> dict[str, set[int]]:
    fontTools = pytest.importorskip("fontTools.ttLib")  # a test dependency (pyproject [test])
    folder = ROOT / "localisation" / "fonts"
    import tomllib

    spec = tomllib.loads((folder / "fonts.toml").read_text(encoding="utf-8"))
    return {name: set(fontTools.TTFont(folder / name).getBestCmap()) for name in spec["files"]}


def _texts_of(po: Path) -> str:
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po.read_bytes()))
    out = []
    for message in catalog:
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        out.extend(s for s in strings if s)
    return "".join(out)


def test_bundled_fonts_cover_every_character_of_every_translation():
    cmaps = _bundled_cmaps()
    covered = set().union(*cmaps.values())
    ignorable = {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x061C, 0xFEFF, 0x0A, 0x0D, 0x09}
    files = [*ROOT.glob("localisation/*/LC_MESSAGES/messages.po"), *ROOT.glob("courses/*/translations/*.po")]
    assert len(files) >= 27
    names = "".join(info.name for info in shipped_locales())
    missing = {}
    for po in files:
        for ch in set(_texts_of(po)) | set(names):
            if ord(ch) not in covered and ord(ch) not in ignorable:
                missing.setdefault(po.name if "LC_MESSAGES" not in str(po) else po.parent.parent.name, set()).add(ch)
    assert missing == {}


def test_each_script_has_a_regular_and_a_bold_face():
    cmaps = _bundled_cmaps()
    for sample, script in (("가", "Hangul"), ("ب", "Arabic"), ("ក", "Khmer"), ("Ж", "Cyrillic"), ("ộ", "Vietnamese")):
        faces = [name for name, cmap in cmaps.items() if ord(sample) in cmap]
        assert any("Regular" in f for f in faces) and any("Bold" in f for f in faces), script


def test_fonts_are_about_six_megabytes_and_ship_their_licence():
    folder = ROOT / "localisation" / "fonts"
    size = sum(p.stat().st_size for p in folder.iterdir() if p.suffix in (".ttf", ".otf"))
    assert 4 * 2**20 < size < 7 * 2**20
    assert "SIL OPEN FONT LICENSE" in (folder / "OFL.txt").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ an eleventh locale

def test_an_eleventh_locale_is_a_data_change(tmp_path, monkeypatch):
    """Copy the data, add Lao to locales.toml: update makes its catalog; the app lists and loads it."""
    from app.core import resources

    root = tmp_path / "tree"
    shutil.copytree(ROOT / "localisation", root / "localisation")
    for folder in ("app", "labs"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    with open(root / "localisation" / "locales.toml", "a", encoding="utf-8") as f:
        f.write('\n[[locale]]\ncode = "lo"\nname = "ລາວ"\ndirection = "ltr"\n'
                'plural_forms = "nplurals=1; plural=0;"\nplural_examples = [1]\n')
    monkeypatch.setattr(resources, "resource_root", lambda: root)
    monkeypatch.setattr(i18n_catalogs, "resource_root", lambda: root)
    monkeypatch.setattr(i18n_catalogs, "localisation_dir", lambda: root / "localisation")
    monkeypatch.setattr(i18n, "localisation_dir", lambda: root / "localisation")
    i18n.shipped_locales.cache_clear()
    try:
        assert "lo" in [info.code for info in shipped_locales()]
        assert i18n_catalogs.update() == 0
        po = root / "localisation" / "lo" / "LC_MESSAGES" / "messages.po"
        assert po.is_file() and "nplurals=1; plural=0;" in po.read_text(encoding="utf-8")
        text = po.read_text(encoding="utf-8").replace('msgid "Start learning"\nmsgstr ""',
                                                      'msgid "Start learning"\nmsgstr "ເລີ່ມຮຽນ"')
        po.write_text(text, encoding="utf-8")
        assert i18n_catalogs.compile_all() == 0
        set_locale("lo")
        assert _("Start learning") == "ເລີ່ມຮຽນ"
        assert any("lo/LC_MESSAGES/messages.po" in line and "not translated" in line
                   for line in i18n_catalogs.problems())  # the check holds the new locale to the same bar
    finally:
        set_locale("en")
        i18n.shipped_locales.cache_clear()
