"""The shared text classifier (labs/chatbot/engine/classifier.py) on small multilingual bots: what a
learner builds in the chatbot lab and what the automation lab routes with. CLINC150 and Banking77 are
left to `python main.py bench chatbot` (app/bench_chatbot.py)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from app.core.problems import InvalidInput
from app.core.tasks import Cancelled, TaskState
from labs.chatbot.engine import classifier
from labs.chatbot.engine.classifier import (OUT_OF_SCOPE, IntentModel, Prediction, TrainingDataError, char_grams,
                                            normalise, train_intents)

ENGLISH = {
    "passport_new": ["how do I get a passport", "apply for a new passport", "I need a passport for the first time",
                     "first passport application", "where can I apply for my first passport",
                     "documents needed for a new passport", "getting a passport for my child",
                     "new passport requirements"],
    "passport_renew": ["my passport expired how do I renew it", "renew my passport", "passport renewal",
                       "extend my passport", "my passport expires next month", "replace an expired passport",
                       "how to renew a passport online", "renewing passport fees"],
    "tax_pay": ["how do I pay my income tax", "pay property tax online", "where to pay taxes", "tax payment deadline",
                "I want to pay my local tax", "can I pay tax by card", "pay car tax", "tax bill payment"],
    "birth_register": ["register my baby's birth", "how to report a birth", "birth registration documents",
                       "my wife gave birth where do I register", "newborn registration",
                       "deadline to register a birth", "register a child born abroad",
                       "birth certificate for a newborn"],
    "moving": ["I moved to a new address", "change my address", "report a move", "update my residence after moving",
               "moving house registration", "new address notification", "how to register my new home address",
               "I changed apartments"],
    "welfare": ["am I eligible for welfare benefits", "apply for basic livelihood support",
                "financial help for low income families", "welfare benefit application",
                "how to get social assistance", "unemployment support", "benefits for the elderly",
                "child allowance application"],
    OUT_OF_SCOPE: ["what's the weather tomorrow", "tell me a joke", "who won the football game",
                   "recommend a good restaurant", "what time is it in Paris", "play some music",
                   "how tall is mount everest", "translate hello into french"],
}

# Korean: the passport examples all say 발급받- ("have it issued"); questions below use 발급하- forms.
KOREAN = {
    "passport": ["여권 발급받고 싶어요", "여권을 새로 발급받고 싶어요", "여권 발급받는 곳이 어디예요",
                 "여권 발급받을 때 필요한 서류", "아이 여권 발급받고 싶어요", "여권 발급받는데 얼마나 걸려요"],
    "tax": ["세금을 내고 싶어요", "지방세 납부 방법 알려주세요", "재산세는 어디서 내나요", "자동차세 납부 기한이 언제예요",
            "세금 카드로 낼 수 있어요", "종합소득세 신고하고 납부하기"],
    "moving": ["이사했는데 전입신고 하고 싶어요", "전입신고는 어디서 해요", "주소 변경하려면 어떻게 해요",
               "새 집으로 이사했어요 주소 바꾸기", "전입신고 온라인으로 가능해요", "이사 후 주소 이전"],
    "birth": ["아기가 태어났어요 출생신고 하려고요", "출생신고 방법", "출생신고는 언제까지 해야 해요",
              "신생아 출생신고 서류", "출생신고 어디서 해요", "아이 출생 등록"],
}

# Khmer is written without spaces between words: every example is one "word" to a tokenizer.
KHMER = {
    "passport": ["ខ្ញុំចង់ធ្វើលិខិតឆ្លងដែន", "ធ្វើលិខិតឆ្លងដែនថ្មី", "លិខិតឆ្លងដែនផុតកំណត់", "តម្លៃធ្វើលិខិតឆ្លងដែន",
                 "ឯកសារសម្រាប់លិខិតឆ្លងដែន"],
    "tax": ["ខ្ញុំចង់បង់ពន្ធ", "បង់ពន្ធផ្ទះ", "ពន្ធលើប្រាក់ចំណូល", "ថ្ងៃផុតកំណត់បង់ពន្ធ", "បង់ពន្ធតាមអនឡាញ"],
    "birth": ["ខ្ញុំចង់ធ្វើសំបុត្រកំណើត", "សុំសំបុត្រកំណើតកូន", "ចុះបញ្ជីកំណើតទារក", "សំបុត្រកំណើតបាត់",
              "ឯកសារសម្រាប់សំបុត្រកំណើត"],
    "id_card": ["ខ្ញុំចង់ធ្វើអត្តសញ្ញាណប័ណ្ណ", "អត្តសញ្ញាណប័ណ្ណបាត់", "ប្តូរអត្តសញ្ញាណប័ណ្ណថ្មី",
                "តម្លៃអត្តសញ្ញាណប័ណ្ណ", "អត្តសញ្ញាណប័ណ្ណផុតកំណត់"],
}

ARABIC = {
    "passport": ["أريد تجديد جواز السفر", "كيف أحصل على جواز سفر جديد", "جواز سفري منتهي الصلاحية",
                 "رسوم إصدار جواز السفر", "أين أقدم طلب جواز السفر"],
    "tax": ["كيف أدفع الضرائب", "دفع ضريبة العقار", "موعد دفع الضريبة", "أريد دفع ضريبة الدخل",
            "هل يمكنني دفع الضرائب عبر الإنترنت"],
    "birth": ["أريد تسجيل مولود جديد", "كيف أسجل ولادة طفلي", "شهادة ميلاد للمولود", "موعد تسجيل المواليد",
              "وثائق تسجيل الولادة"],
}


def pairs(bot: dict[str, list[str]], *, with_oos: bool = True) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, examples in bot.items():
        if label == OUT_OF_SCOPE and not with_oos:
            continue
        texts += examples
        labels += [label] * len(examples)
    return texts, labels


@pytest.fixture(scope="module")
def english() -> IntentModel:
    return train_intents(*pairs(ENGLISH), seed=0)


def synthetic(n_intents: int, per_intent: int, seed: int, noise: float = 0.35) -> tuple[list[str], list[str]]:
    """Utterances of filler words plus one keyword of their intent and, sometimes, keywords of other
    intents (so that some are genuinely ambiguous)."""
    rng = random.Random(seed)
    filler = "please i want to know how can about the my for a could you tell me need help with".split()
    keywords = {f"intent_{i:02d}": [f"k{i}x{j}" for j in range(6)] for i in range(n_intents)}
    names = sorted(keywords)
    texts, labels = [], []
    for name in names:
        for _ in range(per_intent):
            words = rng.sample(filler, 4) + rng.sample(keywords[name], 1)
            for _extra in range(2):
                if rng.random() < noise:
                    words.append(rng.choice(keywords[rng.choice(names)]))
            rng.shuffle(words)
            texts.append(" ".join(words))
            labels.append(name)
    return texts, labels


# --- reading text -------------------------------------------------------------------------------------

def test_normalise_folds_width_case_punctuation_and_arabic_spelling_variants():
    assert normalise("ＰＡＳＳＰＯＲＴ, please!!") == "passport please"
    assert normalise("Straße\u00a0\tNEU") == "strasse neu"
    assert normalise("أريد") == normalise("اريد") == normalise("إريد")
    assert normalise("جَوَازُ السَّفَرِ") == "جواز السفر"
    assert normalise("ខ្ញុំចង់។") == "ខ្ញុំចង់"  # the Khmer full stop is punctuation, its signs are not


def test_inflected_korean_forms_share_character_ngrams_but_no_word():
    issued_to_me, to_issue = "발급받고", "발급하려면"
    assert issued_to_me != to_issue
    assert set(char_grams(issued_to_me)) & set(char_grams(to_issue)) >= {" 발급", "발급"}


# --- learning small bots --------------------------------------------------------------------------------

def test_english_paraphrases_reach_their_intents(english):
    questions = {"I would like to renew my expired passport": "passport_renew",
                 "when is the deadline to pay tax": "tax_pay",
                 "we just had a baby, how do we register the birth": "birth_register",
                 "how do I apply for a passport for the first time": "passport_new",
                 "I moved house, where do I change my address": "moving"}
    for question, intent in questions.items():
        prediction = english.predict_one(question)
        assert prediction.label == intent, (question, prediction)
        assert english.decide(prediction, english.suggested_threshold) == intent, (question, prediction)


def test_out_of_scope_questions_are_declined_at_the_suggested_threshold(english):
    for question in ("what's the weather in Seoul tomorrow", "tell me a funny joke", "play my favourite music"):
        prediction = english.predict_one(question)
        assert english.decide(prediction, english.suggested_threshold) is None, (question, prediction)


def test_without_out_of_scope_examples_a_question_about_nothing_it_knows_gets_low_confidence():
    model = train_intents(*pairs(ENGLISH, with_oos=False), seed=0)
    assert OUT_OF_SCOPE not in model.labels
    unknown = model.predict_one("zebra quantum marmalade")
    known = model.predict_one("renew my passport please")
    assert unknown.confidence < 0.5 < known.confidence
    assert model.decide(unknown, model.suggested_threshold) is None
    assert model.decide(known, model.suggested_threshold) == "passport_renew"


def test_korean_inflected_forms_land_on_the_same_intent():
    model = train_intents(*pairs(KOREAN), seed=0)
    assert model.predict_one("여권 발급받고 싶어요").label == "passport"  # as in training
    for question in ("여권을 발급하려면 무엇이 필요한가요", "발급하려면 뭐가 필요해요"):  # never seen as words
        assert model.predict_one(question).label == "passport", question
    assert model.predict_one("출생신고 하려면 어디로 가요").label == "birth"
    assert model.predict_one("재산세 납부하려고요").label == "tax"


def test_khmer_without_spaces_classifies():
    model = train_intents(*pairs(KHMER), seed=0)
    questions = {"តើធ្វើលិខិតឆ្លងដែនយ៉ាងដូចម្តេច": "passport", "ខ្ញុំត្រូវបង់ពន្ធនៅឯណា": "tax",
                 "កូនខ្ញុំត្រូវការសំបុត្រកំណើត": "birth", "អត្តសញ្ញាណប័ណ្ណខ្ញុំបាត់ហើយ": "id_card"}
    for question, intent in questions.items():
        assert " " not in question
        assert model.predict_one(question).label == intent, question


def test_arabic_with_or_without_hamza_and_diacritics():
    model = train_intents(*pairs(ARABIC), seed=0)
    for question in ("اريد تجديد جواز السفر", "جَوَازُ سَفَرِي مُنْتَهٍ", "رسوم جواز السفر"):
        assert model.predict_one(question).label == "passport", question
    assert model.predict_one("اين ادفع الضريبة").label == "tax"


# --- the model's answers -----------------------------------------------------------------------------

def test_labels_are_sorted_and_predictions_are_consistent(english):
    assert english.labels == tuple(sorted(ENGLISH))
    assert OUT_OF_SCOPE in english.labels
    predictions = english.predict(["renew my passport", "pay tax", "tell me a joke"])
    probabilities = english.probabilities(["renew my passport", "pay tax", "tell me a joke"])
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    for prediction, row in zip(predictions, probabilities):
        assert isinstance(prediction, Prediction)
        assert len(prediction.ranking) == 3
        assert prediction.label == prediction.ranking[0][0] and prediction.confidence == prediction.ranking[0][1]
        values = [p for _label, p in prediction.ranking]
        assert values == sorted(values, reverse=True) and 0.0 <= values[-1] and values[0] <= 1.0
        assert prediction.confidence == pytest.approx(row.max())
        assert english.labels[int(row.argmax())] == prediction.label
    assert predictions[2].label == OUT_OF_SCOPE
    assert english.predict([]) == []


def test_decide_declines_out_of_scope_and_unsure_predictions(english):
    sure = Prediction("tax_pay", 0.8, (("tax_pay", 0.8), ("moving", 0.1), (OUT_OF_SCOPE, 0.1)))
    unsure = Prediction("tax_pay", 0.3, (("tax_pay", 0.3), ("moving", 0.3), (OUT_OF_SCOPE, 0.2)))
    out = Prediction(OUT_OF_SCOPE, 0.9, ((OUT_OF_SCOPE, 0.9), ("moving", 0.05), ("tax_pay", 0.05)))
    assert english.decide(sure, 0.5) == "tax_pay"
    assert english.decide(sure, 0.8) == "tax_pay"  # the threshold itself is confident enough
    assert english.decide(unsure, 0.5) is None
    assert english.decide(out, 0.0) is None


def test_confidence_is_calibrated_on_unseen_questions():
    texts, labels = synthetic(8, 60, seed=1)
    test_texts, test_labels = synthetic(8, 60, seed=2)
    model = train_intents(texts, labels, seed=0)
    predictions = model.predict(test_texts)
    confidence = np.array([p.confidence for p in predictions])
    right = np.array([p.label == t for p, t in zip(predictions, test_labels)])
    assert 0.6 < right.mean() < 0.9  # the set is ambiguous enough for calibration to matter
    assert abs(confidence.mean() - right.mean()) < 0.1, (confidence.mean(), right.mean())
    surest = confidence >= np.median(confidence)
    assert right[surest].mean() > right[~surest].mean() + 0.15


def test_the_suggested_threshold_comes_from_held_out_training_examples():
    texts, labels = synthetic(8, 40, seed=3)
    model = train_intents(texts, labels, seed=0)
    assert 0.0 <= model.suggested_threshold <= 0.95
    # It keeps held-out accuracy within 2 points of answering everything, so it costs little on new data.
    test_texts, test_labels = synthetic(8, 40, seed=4)
    predictions = model.predict(test_texts)
    all_right = np.mean([p.label == t for p, t in zip(predictions, test_labels)])
    kept_right = np.mean([model.decide(p, model.suggested_threshold) == t for p, t in zip(predictions, test_labels)])
    assert all_right - 0.08 <= kept_right <= all_right
    assert model.suggested_threshold > 0.0  # and it does decline some


def test_training_is_seeded():
    texts, labels = synthetic(6, 20, seed=5)
    first, second = train_intents(texts, labels, seed=0), train_intents(texts, labels, seed=0)
    assert first.suggested_threshold == second.suggested_threshold
    np.testing.assert_array_equal(first.probabilities(texts[:30]), second.probabilities(texts[:30]))


def test_many_intents_train_each_on_its_shortlist():
    texts, labels = synthetic(40, 15, seed=6, noise=0.1)
    model = train_intents(texts, labels, seed=0)
    assert model._scores.shortlist == classifier.SHORTLIST  # the path CLINC150 and Banking77 take
    test_texts, test_labels = synthetic(40, 5, seed=7, noise=0.1)
    accuracy = np.mean([p.label == t for p, t in zip(model.predict(test_texts), test_labels)])
    assert accuracy > 0.9


def test_a_large_set_calibrates_on_one_held_out_split(monkeypatch):
    monkeypatch.setattr(classifier, "LARGE", 100)
    calls = []
    original = classifier._LabelScores

    def counting(*args, **kwargs):
        calls.append(args[0].shape[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(classifier, "_LabelScores", counting)
    texts, labels = synthetic(5, 40, seed=8)
    model = train_intents(texts, labels, seed=0)
    assert calls == [160, 200]  # one model on 80 %, then the final one on everything
    assert 0.0 <= model.suggested_threshold <= 0.95


def test_two_intents_are_enough():
    model = train_intents(["pay my tax", "tax payment", "renew passport", "passport renewal"],
                          ["tax", "tax", "passport", "passport"], seed=0)
    assert model.labels == ("passport", "tax")
    prediction = model.predict_one("I want to pay tax")
    assert prediction.label == "tax" and len(prediction.ranking) == 2
    assert sum(p for _l, p in prediction.ranking) == pytest.approx(1.0)


# --- bad input, progress and cancel ------------------------------------------------------------------

@pytest.mark.parametrize("texts, labels, expected", [
    (["pay tax", "more tax"], ["tax", "tax"], "at least 2 intents"),
    (["pay tax", "weather"], ["tax", OUT_OF_SCOPE], "at least 2 intents"),
    (["pay tax", "   ", "passport"], ["tax", "tax", "passport"], "Example 2 (intent 'tax') is empty"),
    (["pay tax", "passport"], ["tax", ""], "Example 2 has no intent"),
    (["pay tax", "passport"], ["tax"], "2 examples but 1 labels"),
])
def test_examples_that_cannot_train_are_refused_clearly(texts, labels, expected):
    with pytest.raises(TrainingDataError) as caught:
        train_intents(texts, labels)
    assert expected in str(caught.value)
    assert isinstance(caught.value, InvalidInput)


def test_training_reports_progress_and_honours_cancel():
    texts, labels = synthetic(6, 20, seed=9)
    seen = []
    train_intents(texts, labels, state=TaskState(lambda progress, message: seen.append(progress)))
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0) and len(seen) > 5

    state = TaskState(lambda progress, message: state.request_cancel() if progress > 0.2 else None)
    with pytest.raises(Cancelled):
        train_intents(*synthetic(40, 10, seed=10), state=state)
