"""The no-code machine-learning lab: pick a target and features, split, train, read honest metrics.

engine/ (no Qt) does the work and says it as pandas / scikit-learn code; no_code.py defines the
lab's tasks; panel.py is the Qt work area; pdf.py prints the model card with Qt.
"""
