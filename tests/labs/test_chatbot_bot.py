"""The chatbot lab's bot model and its one-file format: what is kept, what is refused and how it says so."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from labs.chatbot.engine.bot import (MAX_FILE_BYTES, Bot, BotFileError, Handoff, Intent, Link, bot_json, bot_problems,
                                     bot_to_dict, clean_lines, empty_bot, load_bot, parse_bot, save_bot,
                                     suggest_intent_id, trainable_problems)
from labs.chatbot.engine.starters import default_starter, load_starter, starter_bots

SHIPPED = Path(__file__).resolve().parents[2] / "labs" / "chatbot" / "bots"


def small_bot() -> Bot:
    return Bot(
        name="Town hall (test)", language="en", threshold=0.4,
        fallback="Sorry, I can only help with passports and taxes.",
        handoff=Handoff("I am not sure. I will pass you to an officer.", "Call 110"),
        intents=(
            Intent("passport_new", "Apply for a passport", ("how do I get a passport", "new passport please"),
                   ("Bring a photo to the civil office.", "Apply at the civil office with a photo."),
                   (Link("lesson", "Chatbot design", "automation-and-chatbots/chatbot-design"),
                    Link("form", "Passport application", "Form 1"))),
            Intent("tax_local", "Pay local tax", ("how to pay my local tax", "주민세 납부"), ("Pay online.",)),
        ),
        out_of_scope=("what is the weather tomorrow", "مرحبا كيف حالك"))


def write(tmp_path: Path, data, name: str = "town.bot.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2),
                    encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(BotFileError) as caught:
        load_bot(path)
    return str(caught.value)


def test_a_bot_survives_save_and_load_exactly(tmp_path):
    bot = small_bot()
    path = save_bot(bot, tmp_path / "town.bot.json")
    assert load_bot(path) == bot
    text = path.read_text(encoding="utf-8")
    assert "주민세 납부" in text and "مرحبا" in text  # UTF-8, not \u escapes
    data = json.loads(text)
    assert data["format"] == "civic-ai-academy/bot" and data["version"] == 1
    assert data["intents"][0]["links"][0] == {"kind": "lesson", "title": "Chatbot design",
                                              "target": "automation-and-chatbots/chatbot-design"}
    assert "links" not in data["intents"][1]  # optional, left out when empty
    assert [p.name for p in tmp_path.iterdir()] == ["town.bot.json"]  # no temporary file left


def test_the_example_file_of_the_format_loads(tmp_path):
    path = write(tmp_path, {
        "format": "civic-ai-academy/bot", "version": 1, "name": "Government 24 consultation (English)",
        "language": "en", "threshold": 0.45, "fallback": "Sorry, I can only help with ...",
        "handoff": {"message": "I am not sure. I will pass you to an officer ...", "contact": "Call 110 ..."},
        "intents": [{"id": "passport_new", "title": "Apply for a passport",
                     "examples": ["how do I get a passport", "..."], "answers": ["variant 1 ...", "variant 2 ..."],
                     "links": [{"kind": "form", "title": "Passport application form", "target": "Form 1"}]}],
        "out_of_scope": ["what's the weather tomorrow"]}, "bot.json")
    bot = load_bot(path)
    assert bot.threshold == 0.45 and bot.intents[0].answers == ("variant 1 ...", "variant 2 ...")
    assert bot.handoff.contact == "Call 110 ..."


def test_invalid_json_is_refused_with_its_line_and_column(tmp_path):
    path = write(tmp_path, '{\n  "format": "civic-ai-academy/bot",\n  "name": "x"\n  "language": "en"\n}\n')
    message = refused(path)
    assert message.startswith("town.bot.json, line 4, column 3: this is not valid JSON")


def test_a_missing_answer_is_refused_with_its_json_path(tmp_path):
    data = bot_to_dict(small_bot())
    data["intents"][1]["answers"] = []
    message = refused(write(tmp_path, data, "bot.json"))
    assert message == "bot.json, intents[1].answers: an intent needs at least one answer"


def test_every_problem_is_listed_at_once(tmp_path):
    data = bot_to_dict(small_bot())
    data["intents"][0]["id"] = "Passport New"
    data["intents"][1]["id"] = "oos"
    data["intents"][1]["examples"] = ["fine", 3, "  "]
    data["intents"][0]["links"][0]["target"] = "chatbot-design"
    data["intents"][0]["exmaples"] = ["typo"]
    data["threshold"] = "high"
    message = refused(write(tmp_path, data))
    lines = message.splitlines()
    expected = [
        "town.bot.json, intents[0].exmaples: unknown field \"exmaples\" (the fields are: id, title, examples,",
        "town.bot.json, threshold: expected a number from 0 to 1, found text",
        "town.bot.json, intents[1].examples[1]: expected text in quotes, found a number",
        "town.bot.json, intents[1].examples[2]: this text is empty",
        "town.bot.json, intents[0].id: an intent id uses only small letters a-z",
        "town.bot.json, intents[1].id: \"oos\" is kept for out-of-scope questions",
        "town.bot.json, intents[0].links[0]: a lesson link's target is course_id/item_id",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)


def test_duplicate_ids_wrong_types_and_missing_fields(tmp_path):
    data = bot_to_dict(small_bot())
    data["intents"][1]["id"] = "passport_new"
    del data["fallback"]
    data["handoff"] = "call us"
    data["intents"].append("not an intent")
    lines = refused(write(tmp_path, data)).splitlines()
    assert "town.bot.json, fallback: this field is missing" in lines
    assert "town.bot.json, handoff: expected an object {...}, found text" in lines
    assert "town.bot.json, intents[2]: expected an object {...}, found text" in lines
    assert "town.bot.json, intents[1].id: another intent already has the id \"passport_new\"" in lines


def test_not_a_bot_file_newer_version_empty_and_binary(tmp_path):
    assert refused(write(tmp_path, {"format": "something-else"})) == (
        "town.bot.json, format: this is not a bot file (expected \"format\": \"civic-ai-academy/bot\").")
    assert refused(write(tmp_path, "[1, 2]")).startswith("town.bot.json: a bot file is one JSON object")
    newer = {**bot_to_dict(small_bot()), "version": 7}
    assert "made by a newer version of the app" in refused(write(tmp_path, newer))
    assert refused(write(tmp_path, "  \n")) == "town.bot.json: the file is empty."
    binary = tmp_path / "photo.bot.json"
    binary.write_bytes(b'{"a":\n "\xff\xfe\x00"}')
    assert refused(binary) == "photo.bot.json, line 2: the file is not UTF-8 text. Save it again as UTF-8."
    assert refused(tmp_path / "missing.bot.json").startswith("missing.bot.json: the file cannot be read")


def test_a_file_over_five_megabytes_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.bot.json"
    path.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    assert refused(path) == "huge.bot.json: the file is 5.0 MB; a bot file is at most 5 MB."


def test_a_bom_and_extra_spaces_are_accepted(tmp_path):
    data = bot_to_dict(small_bot())
    data["intents"][0]["examples"] = ["  how do I   get a passport "]
    path = tmp_path / "bom.bot.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode("utf-8"))
    assert load_bot(path).intents[0].examples == ("how do I get a passport",)


def test_saving_an_incomplete_bot_is_refused_and_writes_nothing(tmp_path):
    bot = small_bot().with_intent(Intent("opening_hours", "Opening hours", ("when are you open",), ()))
    with pytest.raises(BotFileError) as caught:
        save_bot(bot, tmp_path / "draft.bot.json")
    assert str(caught.value) == "draft.bot.json, intents[2].answers: an intent needs at least one answer"
    assert list(tmp_path.iterdir()) == []


def test_save_replaces_an_old_file_whole(tmp_path):
    path = tmp_path / "town.bot.json"
    path.write_text("old", encoding="utf-8")
    save_bot(small_bot(), path)
    assert load_bot(path) == small_bot()


def test_training_pairs_and_fingerprints():
    bot = small_bot()
    texts, labels = bot.training_pairs()
    assert labels == ["passport_new", "passport_new", "tax_local", "tax_local", "oos", "oos"]
    assert texts[-1] == "مرحبا كيف حالك"
    renamed_title = bot.with_intent(replace(bot.intents[0], title="Passports"))
    assert renamed_title.training_fingerprint() == bot.training_fingerprint()
    assert renamed_title.fingerprint() != bot.fingerprint()
    more = bot.with_intent(replace(bot.intents[0], examples=bot.intents[0].examples + ("passport",)))
    assert more.training_fingerprint() != bot.training_fingerprint()


def test_editing_helpers():
    assert clean_lines(["  a  b ", "", "a b", "c"]) == ("a b", "c")
    assert suggest_intent_id("Renew a passport!", []) == "renew_a_passport"
    assert suggest_intent_id("Renew a passport", ["renew_a_passport"]) == "renew_a_passport_2"
    assert suggest_intent_id("여권 재발급", ["intent_1"]) == "intent_2"
    assert suggest_intent_id("OOS", []) == "intent_1"
    assert trainable_problems(empty_bot()) == [
        "The bot needs at least two intents with examples to learn from; it has 0."]
    assert trainable_problems(small_bot()) == []
    assert bot_problems(small_bot()) == []
    assert [path for path, _m in bot_problems(replace(small_bot(), handoff=Handoff("", "")))] == ["handoff.message"]


def test_json_text_is_stable():
    assert bot_json(small_bot()) == bot_json(parse_bot(bot_json(small_bot()).encode("utf-8")))


def test_starters_from_a_folder(tmp_path):
    save_bot(replace(small_bot(), language="ko", name="민원 상담"), tmp_path / "gov24-ko.bot.json")
    save_bot(small_bot(), tmp_path / "gov24-en.bot.json")
    (tmp_path / "broken.bot.json").write_text("{", encoding="utf-8")
    assert [s.id for s in starter_bots(tmp_path)] == ["gov24-en", "gov24-ko"]
    assert default_starter("ko_KR", tmp_path).id == "gov24-ko"
    assert default_starter("km", tmp_path).id == "gov24-en"  # no Khmer starter: English
    assert load_starter("gov24-ko", tmp_path).name == "민원 상담"
    with pytest.raises(KeyError):
        load_starter("../gov24-ko", tmp_path)
    (tmp_path / "none").mkdir()
    assert default_starter("en", tmp_path / "none") is None


def test_every_shipped_starter_bot_loads_and_can_be_trained():
    paths = sorted(SHIPPED.glob("*.bot.json"))
    if not paths:
        pytest.skip("no starter bots shipped yet")
    for path in paths:
        bot = load_bot(path)  # raises with the file and the place if one is malformed
        assert not trainable_problems(bot), path.name
        assert bot.out_of_scope, f"{path.name}: out-of-scope examples let the lab measure out-of-scope recall"
    assert {s.language for s in starter_bots()} >= {"ko", "en", "ar"}
