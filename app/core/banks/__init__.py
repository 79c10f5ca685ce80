"""Question banks: Moodle GIFT and Aiken files read into quizzes of the course format, and quizzes
written back as GIFT. The parsers are our own (the PyPI GIFT parsers are abandoned and fail real
files); they keep line numbers and report a question they cannot read without stopping the file.

    gift.py / aiken.py    text -> BankQuestion (model.py), faithful to the source format
    to_quiz.py            BankQuestion -> a question of the course format, checked as `course check` does
                          (plaintext.py turns the HTML of Moodle banks into the plain text quizzes show)
    importer.py           a file (any usual encoding) -> questions + problems, by format
    quiz_file.py          write a *.quiz.yaml atomically; find and read one for export
    gift_writer.py        a quiz of the course format -> GIFT text
"""
