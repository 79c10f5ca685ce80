"""Reading learners' own files: encodings, delimiters, decimal commas, dates, and every kind of bad file."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from app.core.tasks import Cancelled, TaskState
from labs.data_analysis.engine.reading import (
    MAX_FILE_BYTES,
    ReadOptions,
    UnreadableFile,
    keep_copy,
    read_table,
    sniff,
)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_utf8_with_accents_numbers_and_iso_dates(tmp_path):
    path = write(tmp_path, "plain.csv", "name,city,amount,when\nJosé,Séoul,12.5,2024-01-03\nAna,Köln,3,2024-02-01\n"
                 .encode("utf-8"))
    result = read_table(path)
    assert (result.encoding, result.delimiter, result.decimal) == ("utf-8", ",", ".")
    assert result.frame["city"].tolist() == ["Séoul", "Köln"]
    assert result.frame["amount"].tolist() == [12.5, 3.0]
    assert str(result.frame["when"].dt.date.iloc[0]) == "2024-01-03"
    assert result.date_columns == {"when": "ISO8601"}


def test_utf8_with_bom_does_not_leak_into_the_first_column_name(tmp_path):
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + "구,민원\n강남구,도로\n".encode("utf-8"))
    result = read_table(path)
    assert result.encoding == "utf-8-sig"
    assert list(result.frame.columns) == ["구", "민원"]


@pytest.mark.parametrize("codec", ["cp949", "euc-kr"])
def test_korean_legacy_encodings_are_read_as_cp949(tmp_path, codec):
    text = "구,민원 종류,처리 일수\n강남구,도로 파손,3\n서초구,소음,5\n"
    path = write(tmp_path, f"{codec}.csv", text.encode(codec))
    result = read_table(path)
    assert result.encoding == "cp949"
    assert result.frame["민원 종류"].tolist() == ["도로 파손", "소음"]
    assert result.frame["처리 일수"].tolist() == [3, 5]
    assert "Korean" in result.encoding_label()


def test_windows_1252_french_and_spanish_with_semicolon_and_decimal_comma(tmp_path):
    text = ("nom;ville;montant;date\nCafé;Besançon;1.234,56;03/04/2024\nÉcole;Señor Œuvre;12,5;25/12/2023\n"
            "Zoë;€ten;-7,25;01/01/2024\n")
    path = write(tmp_path, "fr.csv", text.encode("cp1252"))
    result = read_table(path)
    assert (result.encoding, result.delimiter, result.decimal) == ("cp1252", ";", ",")
    assert result.frame["ville"].tolist() == ["Besançon", "Señor Œuvre", "€ten"]
    assert result.frame["montant"].tolist() == [1234.56, 12.5, -7.25]
    # 25/12 has a day over 12, so 03/04/2024 is the 3rd of April
    assert [d.isoformat() for d in result.frame["date"].dt.date] == ["2024-04-03", "2023-12-25", "2024-01-01"]
    assert result.date_columns["date"] == "%d/%m/%Y"


def test_month_first_dates_are_recognised_from_a_second_part_over_12(tmp_path):
    path = write(tmp_path, "us.csv", b"when,n\n03/04/2024,1\n12/25/2023,2\n")
    result = read_table(path)
    assert result.date_columns["when"] == "%m/%d/%Y"
    assert result.frame["when"].iloc[0] == pd.Timestamp("2024-03-04")


def test_ambiguous_dates_are_read_day_first_and_said_so(tmp_path):
    path = write(tmp_path, "amb.csv", b"when,n\n03/04/2024,1\n05/06/2024,2\n")
    result = read_table(path)
    assert result.frame["when"].iloc[0] == pd.Timestamp("2024-04-03")
    assert any("could be day/month or month/day" in note for note in result.notes)
    month_first = read_table(path, options=ReadOptions(dayfirst=False))
    assert month_first.frame["when"].iloc[0] == pd.Timestamp("2024-03-04")


@pytest.mark.parametrize("written, expected", [
    ("15.03.2024", "2024-03-15"),   # German, Russian
    ("2024.03.15", "2024-03-15"),
    ("2024. 3. 15.", "2024-03-15"),  # Korean
    ("2024/03/15", "2024-03-15"),   # Japanese, Korean forms
])
def test_other_date_formats(tmp_path, written, expected):
    path = write(tmp_path, "d.csv", f"when;n\n{written};1\n".encode())
    result = read_table(path)
    assert result.frame["when"].iloc[0] == pd.Timestamp(expected)


def test_invalid_dates_keep_the_column_as_text_with_a_note(tmp_path):
    path = write(tmp_path, "bad-dates.csv", b"when,n\n2024-02-30,1\n2024-03-01,2\n")
    result = read_table(path)
    assert result.frame["when"].tolist() == ["2024-02-30", "2024-03-01"]
    assert any("not valid dates" in note and "2024-02-30" in note for note in result.notes)


def test_tab_delimited(tmp_path):
    path = write(tmp_path, "t.tsv", b"a\tb\tc\n1\t2\tx y\n3\t4\tz\n")
    result = read_table(path)
    assert result.delimiter == "\t"
    assert result.frame.shape == (2, 3)
    assert result.frame["c"].tolist() == ["x y", "z"]


def test_codes_with_leading_zeros_stay_text(tmp_path):
    path = write(tmp_path, "codes.csv", b"postcode,n\n01234,1\n98765,2\n")
    assert read_table(path).frame["postcode"].tolist() == ["01234", "98765"]


def test_numbers_with_a_few_words_stay_text_so_nothing_is_lost(tmp_path):
    path = write(tmp_path, "days.csv", b"id,days\n1,3\n2,12 days\n3,5\n")
    assert read_table(path).frame["days"].tolist() == ["3", "12 days", "5"]


def test_ragged_rows_are_reported_with_their_line_numbers(tmp_path):
    lines = ["a,b,c,d,e"] + ["1,2,3,4,5"] * 12 + ["1,2,3,4,5,6,7", "9,9,9"] + ["1,2,3,4,5"] * 10
    path = write(tmp_path, "ragged.csv", ("\n".join(lines) + "\n").encode())
    result = read_table(path)
    assert result.skipped == [(14, "line 14 has 7 fields; the header has 5: the line was left out")]
    assert result.short_lines == [(15, "line 15 has 3 fields; the header has 5: the missing cells were left empty")]
    assert len(result.frame) == 23  # 24 data lines, the long one left out
    assert result.frame.iloc[12].tolist()[:3] == [9, 9, 9] and pd.isna(result.frame.iloc[12]["d"])


def test_line_numbers_count_line_breaks_inside_quoted_cells(tmp_path):
    data = 'a,b,c\n1,"two\nlines",3\n' + "4,5,6\n" * 8 + "7,8,9,10\n"
    result = read_table(write(tmp_path, "q.csv", data.encode()))
    assert result.skipped[0][0] == 12
    assert result.frame["b"].iloc[0] == "two\nlines"


def test_a_wrong_layout_is_refused_rather_than_guessed(tmp_path):
    lines = ["a,b,c"] + [",".join(["1"] * (3 + i % 3)) for i in range(30)]
    with pytest.raises(UnreadableFile) as error:
        read_table(write(tmp_path, "mess.csv", ("\n".join(lines) + "\n").encode()))
    message = str(error.value)
    assert "mess.csv" in message and "do not have the 3 fields of the header" in message


def test_title_lines_above_the_header_are_skipped(tmp_path):
    data = "Complaints received in 2024\n\nid;district;days\n1;North;3\n2;South;4\n3;East;5\n"
    result = read_table(write(tmp_path, "title.csv", data.encode()))
    assert list(result.frame.columns) == ["id", "district", "days"]
    assert result.header_line == 3
    assert result.notes and "title" in result.notes[0]


def test_empty_file(tmp_path):
    with pytest.raises(UnreadableFile, match=r"empty\.csv is empty"):
        read_table(write(tmp_path, "empty.csv", b""))
    with pytest.raises(UnreadableFile, match="is empty"):
        read_table(write(tmp_path, "blank.csv", b"\n \n\n"))


def test_only_a_header_gives_an_empty_table_and_a_note(tmp_path):
    result = read_table(write(tmp_path, "header.csv", b"district,days\n"))
    assert list(result.frame.columns) == ["district", "days"] and len(result.frame) == 0
    assert any("no rows" in note for note in result.notes)


def test_a_binary_file_renamed_csv_is_refused(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(UnreadableFile) as error:
        read_table(write(tmp_path, "photo.csv", png))
    assert "photo.csv is not a text table" in str(error.value)


def test_undecodable_text_names_the_line(tmp_path):
    data = b"a,b\n" + b"x,y\n" * 5 + b"x\x81,z\n"  # 0x81 then a comma: invalid in UTF-8, CP949 and Windows-1252
    with pytest.raises(UnreadableFile) as error:
        read_table(write(tmp_path, "odd.csv", data))
    assert error.value.line == 7 and "line 7" in str(error.value)


def test_a_2_gb_file_is_refused_at_once_without_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:
        f.truncate(2 * 1024**3)  # sparse: no disk space used
    start = time.process_time()
    with pytest.raises(UnreadableFile) as error:
        read_table(path)
    assert time.process_time() - start < 1.0
    message = str(error.value)
    assert "huge.csv is 2,048 MB" in message and f"{MAX_FILE_BYTES // 1024**2} MB" in message


def test_missing_file_and_old_excel(tmp_path):
    with pytest.raises(UnreadableFile, match="There is no file"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(UnreadableFile, match=r"save it as \"Excel Workbook \(\.xlsx\)\""):
        read_table(write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512))


def test_xlsx_written_with_openpyxl(tmp_path):
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Complaints"
    sheet.append(["district", "days", "received", "code"])
    sheet.append(["Hanbit-gu", 3, dt.datetime(2024, 3, 1), "007"])
    sheet.append(["Sollip-gu", "12 days", dt.datetime(2024, 3, 2), "012"])
    sheet.append([None, 5.5, None, "#N/A"])
    other = book.create_sheet("Notes")
    other.append(["note"])
    other.append(["hello"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    result = read_table(path)
    assert result.format == "xlsx" and result.sheets == ("Complaints", "Notes") and result.sheet == "Complaints"
    frame = result.frame
    assert frame["district"].iloc[0] == "Hanbit-gu" and pd.isna(frame["district"].iloc[2])
    assert frame["days"].tolist() == ["3", "12 days", "5.5"]  # mixed: text, nothing lost
    assert frame["received"].iloc[1] == pd.Timestamp("2024-03-02")
    assert frame["code"].iloc[0] == "007" and pd.isna(frame["code"].iloc[2])  # Excel's #N/A is missing
    assert read_table(path, options=ReadOptions(sheet="Notes")).frame["note"].tolist() == ["hello"]
    with pytest.raises(UnreadableFile, match="no sheet named"):
        read_table(path, options=ReadOptions(sheet="Missing"))


def test_a_damaged_xlsx_is_refused_clearly(tmp_path):
    with pytest.raises(UnreadableFile, match="cannot be opened as an Excel workbook"):
        read_table(write(tmp_path, "broken.xlsx", b"PK\x03\x04" + b"garbage" * 100))


def test_cancel_while_reading_a_big_file(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("id,value,label\n" + "".join(f"{i},{i * 0.5},row {i}\n" for i in range(300_000)))
    seen = []

    def on_progress(progress: float, message: str) -> None:
        seen.append(progress)
        if progress > 0.2:
            state.request_cancel()

    state = TaskState(on_progress)
    with pytest.raises(Cancelled):
        read_table(path, state)
    assert seen and max(seen) < 1.0


def test_sniff_and_options_override_detection(tmp_path):
    path = write(tmp_path, "semi.csv", b"a;b\n1;2\n3;4\n")
    layout = sniff(path)
    assert (layout.format, layout.delimiter, layout.encoding) == ("csv", ";", "utf-8")
    forced = read_table(path, options=ReadOptions(delimiter=","))
    assert list(forced.frame.columns) == ["a;b"]


def test_pandas_code_reads_the_same_table(tmp_path):
    text = "nom;montant;date\nCafé;1.234,56;03/04/2024\nÉcole;12,5;25/12/2023\n"
    path = write(tmp_path, "fr.csv", text.encode("cp1252"))
    result = read_table(path)
    namespace = {"pd": pd}
    exec(result.pandas_code(str(path)), namespace)
    pd.testing.assert_frame_equal(namespace["df"], result.frame, check_dtype=False)


def test_keep_copy_names_by_content_and_keeps_one_copy(tmp_path):
    files = tmp_path / "files"
    first = write(tmp_path, "a.csv", b"x,y\n1,2\n")
    same = write(tmp_path, "b.CSV", b"x,y\n1,2\n")
    name = keep_copy(first, files)
    assert name.endswith(".csv") and (files / name).read_bytes() == b"x,y\n1,2\n"
    assert keep_copy(same, files) == name
    assert [p.name for p in files.iterdir()] == [name]  # no temporary file left behind


def test_a_long_xlsx_reports_progress_and_reads_every_row(tmp_path):
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("rows")
    sheet.append(["id", "value"])
    for i in range(12_000):
        sheet.append([i, i * 0.5])
    path = tmp_path / "long.xlsx"
    book.save(path)
    messages = []
    result = read_table(path, TaskState(lambda progress, message: messages.append(message)))
    assert len(result.frame) == 12_000 and result.frame["value"].iloc[-1] == 5999.5
    assert "Read 10,000 rows" in messages


def test_a_wrong_encoding_chosen_by_the_learner_names_the_first_bad_line(tmp_path):
    text = "name,city\n" + "Ana,Paris\n" * 3000 + "José,Besançon\n"
    path = write(tmp_path, "latin.csv", text.encode("cp1252"))
    assert read_table(path).encoding == "cp1252"
    with pytest.raises(UnreadableFile) as error:
        read_table(path, options=ReadOptions(encoding="utf-8"))
    assert error.value.line == 3002 and "not written in UTF-8 (line 3002 does not decode)" in str(error.value)
