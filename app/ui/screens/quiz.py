"""The quiz runner: one question at a time, immediate feedback, score, and the course's retry rule.

Answers are recorded as they are checked, so a learner who closes the app mid-quiz resumes at
the first question they have not answered, in the same attempt.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractButton, QButtonGroup, QCheckBox, QComboBox, QFrame, QGridLayout,
                               QHBoxLayout, QLabel, QLineEdit, QRadioButton, QStackedWidget, QVBoxLayout, QWidget)

from app.core import formatting
from app.core.course.model import Course, Item
from app.core.course.quiz import (AnyQuestion, Grade, Matching, MultipleChoice, Numerical, ShortAnswer,
                                  SingleChoice, TrueFalse)
from app.core.i18n import _, ngettext
from app.core.learning import AttemptResult
from app.core.record.progress import QuizProgress
from app.ui.screens.page import Page
from app.ui.widgets import button, card, heading, marked, text


class QuizActions(Protocol):
    """What the quiz needs recorded; each returns None when saving failed (the window says why)."""

    def start_attempt(self, course: Course, item: Item) -> str | None: ...
    def answer(self, course: Course, item: Item, registration: str, question: AnyQuestion, response) -> Grade | None: ...
    def finish_attempt(self, course: Course, item: Item, registration: str) -> AttemptResult | None: ...
    def quiz_progress(self, course: Course, item: Item) -> QuizProgress: ...


class _OptionLabel(QLabel):
    """A wrapping label that clicks its radio button or check box, so long choices stay readable."""

    def __init__(self, value: str, target: QAbstractButton):
        super().__init__(value)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._target = target
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event) -> None:
        if self._target.isEnabled():
            self._target.click()
        super().mouseReleaseEvent(event)


class QuestionView(QWidget):
    """The answer controls for one question; `response()` is None until the learner has answered."""

    changed = Signal()

    def __init__(self, question: AnyQuestion, seed: str):
        super().__init__()
        self.question = question
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.marks: list[QLabel] = []
        self.buttons: list[QAbstractButton] = []
        if isinstance(question, (SingleChoice, MultipleChoice)):
            self._choices([c.text for c in question.choices], exclusive=isinstance(question, SingleChoice))
        elif isinstance(question, TrueFalse):
            self._choices([_("True"), _("False")], exclusive=True)
        elif isinstance(question, (ShortAnswer, Numerical)):
            self.line = QLineEdit()
            self.line.setAccessibleName(_("Your answer"))
            self.line.setPlaceholderText(_("Type a number, for example 2.5") if isinstance(question, Numerical)
                                         else _("Type your answer"))
            self.line.textChanged.connect(self.changed)
            self.layout_.addWidget(self.line)
        elif isinstance(question, Matching):
            self._matching(question, seed)

    def _choices(self, labels: list[str], exclusive: bool) -> None:
        self.group = QButtonGroup(self)
        self.group.setExclusive(exclusive)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for index, label in enumerate(labels):
            b: QAbstractButton = QRadioButton() if exclusive else QCheckBox()
            b.setAccessibleName(label)
            self.group.addButton(b, index)
            self.buttons.append(b)
            mark = QLabel("")
            self.marks.append(mark)
            grid.addWidget(b, index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(_OptionLabel(label, b), index, 1)
            grid.addWidget(mark, index, 2, Qt.AlignmentFlag.AlignTop)
        self.group.buttonToggled.connect(self._toggled)
        self.layout_.addLayout(grid)

    def _matching(self, question: Matching, seed: str) -> None:
        self.order = question.right_order(seed)
        grid = QGridLayout()
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.combos: list[QComboBox] = []
        for row, pair in enumerate(question.pairs):
            left = QLabel(pair.left)
            left.setWordWrap(True)
            combo = QComboBox()
            combo.addItem(_("Choose…"), -1)
            for right_index in self.order:
                combo.addItem(question.pairs[right_index].right, right_index)
            combo.setAccessibleName(_("Match for: {item}").format(item=pair.left))
            combo.currentIndexChanged.connect(self._combo_changed)
            left.setBuddy(combo)
            mark = QLabel("")
            mark.setWordWrap(True)
            self.marks.append(mark)
            self.combos.append(combo)
            grid.addWidget(left, row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(mark, row, 2)
        self.layout_.addLayout(grid)

    # Named slots with the signals' exact signatures (clearer than catch-all lambdas).
    def _toggled(self, _button: QAbstractButton, _checked: bool) -> None:
        self.changed.emit()

    def _combo_changed(self, _index: int) -> None:
        self.changed.emit()

    def response(self):
        q = self.question
        if isinstance(q, SingleChoice):
            return self.group.checkedId() if self.group.checkedId() >= 0 else None
        if isinstance(q, MultipleChoice):
            chosen = frozenset(i for i, b in enumerate(self.buttons) if b.isChecked())
            return chosen or None
        if isinstance(q, TrueFalse):
            return None if self.group.checkedId() < 0 else self.group.checkedId() == 0
        if isinstance(q, (ShortAnswer, Numerical)):
            return self.line.text().strip() or None
        if isinstance(q, Matching):
            chosen = {row: combo.currentData() for row, combo in enumerate(self.combos)}
            return chosen if all(v >= 0 for v in chosen.values()) else None
        return None

    def restore(self, response) -> None:
        """Show a response given earlier (when resuming an attempt or reviewing)."""
        q = self.question
        if isinstance(q, SingleChoice):
            self.buttons[response].setChecked(True)
        elif isinstance(q, MultipleChoice):
            for i in response:
                self.buttons[i].setChecked(True)
        elif isinstance(q, TrueFalse):
            self.buttons[0 if response else 1].setChecked(True)
        elif isinstance(q, (ShortAnswer, Numerical)):
            self.line.setText(str(response))
        elif isinstance(q, Matching):
            for row, chosen in response.items():
                combo = self.combos[row]
                combo.setCurrentIndex(combo.findData(chosen))

    def lock(self) -> None:
        """Freeze the answer and show which options were right."""
        q = self.question
        for b in self.buttons:
            b.setEnabled(False)
        if isinstance(q, (SingleChoice, MultipleChoice)):
            for i, choice in enumerate(q.choices):
                # a single choice's partial-credit option (weight < 100) is not "the correct answer"
                if choice.weight >= 100 or (isinstance(q, MultipleChoice) and choice.weight > 0):
                    self.marks[i].setText("✓ " + _("correct answer"))
                elif self.buttons[i].isChecked():
                    self.marks[i].setText("✗ " + _("not correct"))
        elif isinstance(q, TrueFalse):
            right = 0 if q.answer else 1
            self.marks[right].setText("✓ " + _("correct answer"))
        elif isinstance(q, (ShortAnswer, Numerical)):
            self.line.setReadOnly(True)
        elif isinstance(q, Matching):
            for row, combo in enumerate(self.combos):
                combo.setEnabled(False)
                if combo.currentData() == row:
                    self.marks[row].setText("✓")
                else:
                    self.marks[row].setText("✗ " + _("correct: {answer}").format(answer=q.pairs[row].right))

    def expected_answer(self) -> str:
        q = self.question
        if isinstance(q, ShortAnswer):
            best = max(q.answers, key=lambda a: a.weight)
            return best.accepted[-1]
        if isinstance(q, Numerical):
            best = max(q.answers, key=lambda a: a.weight)
            if best.low == best.high:
                return formatting.number(best.low)
            return _("from {low} to {high}").format(low=formatting.number(best.low), high=formatting.number(best.high))
        return ""

    def focus_first(self) -> None:
        if self.buttons:
            self.buttons[0].setFocus()
        elif hasattr(self, "line"):
            self.line.setFocus()
        elif hasattr(self, "combos"):
            self.combos[0].setFocus()


class QuizScreen(Page):
    continue_requested = Signal(str)  # item id: go on to what follows the quiz

    def __init__(self, course: Course, item: Item, actions: QuizActions, parent=None):
        super().__init__(parent)
        self.course, self.item, self.actions = course, item, actions
        self.whole = course.quizzes[item.id]
        self.quiz = self.whole  # the questions of the attempt under way (drawn from pools, if the quiz says so)
        self.registration: str | None = None
        self.index = 0
        self.view: QuestionView | None = None
        self.grade: Grade | None = None
        self.body.addWidget(heading(marked(item.title)))
        self.stack = QStackedWidget()
        self.body.addWidget(self.stack, 1)
        self.body.addStretch(1)
        self.primary_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Return), self)
        self.primary_shortcut.activated.connect(self._press_primary)
        self.primary = None
        self.show_intro()

    # -- intro ---------------------------------------------------------------------------------
    def show_intro(self) -> None:
        progress = self.actions.quiz_progress(self.course, self.item)
        rules = self.item.rules
        assert rules is not None
        page, layout = card()
        count = self.whole.attempt_size
        layout.addWidget(text(ngettext("{n} question", "{n} questions", count).format(n=formatting.number(count))
                              + " · " + _("pass mark {percent}").format(percent=formatting.percent(rules.pass_percent))))
        if rules.max_attempts:
            used = len(progress.attempts)
            layout.addWidget(text(_("Attempts used: {used} of {max}").format(
                used=formatting.number(used), max=formatting.number(rules.max_attempts)), True))
        else:
            layout.addWidget(text(_("You may try as many times as you like."), True))
        if progress.best_percent is not None:
            layout.addWidget(text(_("Your best score so far: {score}").format(
                score=formatting.percent(progress.best_percent))))
        row = QHBoxLayout()
        row.addStretch(1)
        if progress.current is not None:
            self.primary = button(_("Resume quiz"), lambda: self._begin(progress.current.registration), primary=True)
            row.addWidget(self.primary)
        elif progress.can_start:
            label = _("Try again") if progress.attempts else _("Start quiz")
            if progress.passed:
                layout.addWidget(text(_("You have passed this quiz. You may try again to improve your score.")))
                row.addWidget(button(_("Continue"), lambda: self.continue_requested.emit(self.item.id)))
            self.primary = button(label, lambda: self._begin(None), primary=True)
            row.addWidget(self.primary)
        else:
            layout.addWidget(text(_("You have used all your attempts. Your best score is {score}. Ask your trainer "
                                    "if you need another attempt.").format(
                score=formatting.percent(progress.best_percent or 0))))
            self.primary = button(_("Continue"), lambda: self.continue_requested.emit(self.item.id), primary=True)
            row.addWidget(self.primary)
        layout.addLayout(row)
        self._show(page)

    def _begin(self, registration: str | None) -> None:
        if registration is None:
            registration = self.actions.start_attempt(self.course, self.item)
            if registration is None:
                return
        self.registration = registration
        self.quiz = self.whole.for_attempt(registration)
        answered = self._answers()
        remaining = [i for i, q in enumerate(self.quiz.questions) if q.id not in answered]
        if not remaining:
            self._finish()
            return
        self.show_question(remaining[0])

    def _answers(self):
        progress = self.actions.quiz_progress(self.course, self.item)
        attempt = next((a for a in progress.attempts if a.registration == self.registration), None)
        return attempt.answers if attempt else {}

    # -- one question --------------------------------------------------------------------------
    def show_question(self, index: int) -> None:
        self.index = index
        self.grade = None
        question = self.quiz.questions[index]
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        total = len(self.quiz.questions)
        layout.addWidget(text(_("Question {n} of {total}").format(
            n=formatting.number(index + 1), total=formatting.number(total)), muted=True))
        prompt = QLabel(marked(question.prompt))
        prompt.setWordWrap(True)
        prompt.setTextFormat(Qt.TextFormat.PlainText)
        prompt.setFont(heading("", 3).font())
        prompt.setAccessibleName(question.prompt)
        layout.addWidget(prompt)
        if isinstance(question, MultipleChoice):
            layout.addWidget(text(_("Choose all that apply."), muted=True))
        self.view = QuestionView(question, self.registration or "")
        layout.addWidget(self.view)
        self.feedback = QFrame()
        self.feedback.setObjectName("Feedback")
        feedback_layout = QVBoxLayout(self.feedback)
        self.verdict = QLabel()
        self.verdict.setObjectName("Verdict")
        feedback_layout.addWidget(self.verdict)
        self.feedback_text = text("")
        feedback_layout.addWidget(self.feedback_text)
        self.feedback.hide()
        layout.addWidget(self.feedback)
        row = QHBoxLayout()
        row.addStretch(1)
        self.check = button(_("Check answer"), self._check, primary=True)
        self.check.setEnabled(False)
        row.addWidget(self.check)
        self.primary = self.check
        layout.addLayout(row)
        self.view.changed.connect(lambda: self.check.setEnabled(self.view.response() is not None))
        self._show(page)
        self.view.focus_first()

    def _check(self) -> None:
        if self.grade is not None:
            self._next()
            return
        response = self.view.response() if self.view else None
        if response is None or self.registration is None:
            return
        question = self.quiz.questions[self.index]
        grade = self.actions.answer(self.course, self.item, self.registration, question, response)
        if grade is None:
            return  # not saved: the window has said why; the learner can press again
        self.grade = grade
        self.view.lock()
        if grade.correct:
            verdict, state = _("Correct"), "correct"
        elif grade.partial:
            verdict, state = _("Partly correct ({score})").format(score=formatting.percent(grade.fraction * 100)), "partial"
        else:
            verdict, state = _("Not correct"), "wrong"
        self.verdict.setText(verdict)
        self.verdict.setProperty("verdict", state)
        self.verdict.style().unpolish(self.verdict)
        self.verdict.style().polish(self.verdict)
        lines = [str(f) for f in grade.feedback]
        expected = self.view.expected_answer()
        if expected and not grade.correct:
            lines.append(_("Expected answer: {answer}").format(answer=expected))
        if question.explanation:
            lines.append(str(question.explanation))
        self.feedback_text.setText("\n\n".join(lines))
        self.feedback_text.setAccessibleName(verdict + ". " + " ".join(lines))
        self.feedback.setAccessibleName(verdict)
        self.feedback.show()
        last = self.index == len(self.quiz.questions) - 1
        self.check.setText(_("See my score") if last else _("Next question"))
        self.check.setAccessibleName(self.check.text())
        self.check.setEnabled(True)
        self.check.setFocus()

    def _next(self) -> None:
        answered = self._answers()
        remaining = [i for i, q in enumerate(self.quiz.questions) if q.id not in answered]
        if remaining:
            self.show_question(remaining[0])
        else:
            self._finish()

    # -- results -------------------------------------------------------------------------------
    def _finish(self) -> None:
        result = self.actions.finish_attempt(self.course, self.item, self.registration)
        if result is None:
            return
        self.registration = None
        page, layout = card()
        layout.addWidget(heading(_("Your score: {score}").format(score=formatting.percent(result.percent)), 2))
        if result.passed:
            layout.addWidget(text(_("You passed. Well done!")))
        else:
            layout.addWidget(text(_("Not passed yet: the pass mark is {percent}.").format(
                percent=formatting.percent(result.pass_percent))))
        if result.attempts_left is not None:
            layout.addWidget(text(ngettext("{n} attempt left.", "{n} attempts left.", result.attempts_left)
                                  .format(n=formatting.number(result.attempts_left)), muted=True))
        row = QHBoxLayout()
        row.addStretch(1)
        go = button(_("Continue"), lambda: self.continue_requested.emit(self.item.id), primary=result.passed)
        self.primary = go
        if result.attempts_left is None or result.attempts_left > 0:
            retry = button(_("Try again"), lambda: self._begin(None), primary=not result.passed)
            row.addWidget(retry)
            if not result.passed:
                self.primary = retry
        row.addWidget(go)
        layout.addLayout(row)
        self._show(page)
        self.primary.setFocus()

    # -- helpers -------------------------------------------------------------------------------
    def _show(self, page: QWidget) -> None:
        old = self.stack.currentWidget()
        holder = QWidget()  # the page keeps its own height at the top; the stack's spare room stays below
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(page)
        column.addStretch(1)
        self.stack.addWidget(holder)
        self.stack.setCurrentWidget(holder)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()

    def _press_primary(self) -> None:
        if self.primary is not None and self.primary.isEnabled() and self.primary.isVisible():
            self.primary.click()

    def position(self) -> float:
        return float(self.index)

    def focus_first(self) -> None:
        if self.view is not None and self.registration:
            self.view.focus_first()
        elif self.primary is not None:
            self.primary.setFocus()
