"""The domain, free of Qt: courses, quizzes, the learning record, storage, i18n.

An import-linter contract in pyproject.toml (and tests/core/test_layers.py) fails the build when
anything here imports PySide6, the UI, the CLI or the labs.
"""
