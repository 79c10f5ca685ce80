"""One stylesheet for the whole app: calm colours, large targets, visible keyboard focus."""

ACCENT = "#1f5fa8"
STYLE = """
QWidget { color: #1d2430; }
QMainWindow, #Page { background: #f5f7fa; }
#Header { background: #ffffff; border-bottom: 1px solid #dde3ea; }
#AppTitle { font-weight: 600; color: #1f5fa8; }
#Card { background: #ffffff; border: 1px solid #dde3ea; border-radius: 8px; }
#Muted { color: #5a6473; }
#Verdict[verdict="correct"] { color: #1e6b2c; font-weight: 600; }
#Verdict[verdict="partial"] { color: #8a5a00; font-weight: 600; }
#Verdict[verdict="wrong"] { color: #a3261b; font-weight: 600; }
#Feedback { background: #ffffff; border: 1px solid #dde3ea; border-radius: 6px; }
QLabel#Feedback { padding: 8px; }
QLabel#Feedback[passed="true"] { border: 2px solid #2e7d32; }
QLabel#Feedback[passed="false"] { border: 2px solid #a3261b; }
QPushButton { padding: 7px 16px; border: 1px solid #b9c3cf; border-radius: 6px; background: #ffffff; }
QPushButton:hover { background: #eef3f9; }
QPushButton:focus { border: 2px solid #1f5fa8; }
QPushButton:disabled { color: #9aa3ad; background: #f1f3f5; }
QPushButton#Primary { background: #1f5fa8; color: #ffffff; border: 1px solid #1f5fa8; font-weight: 600; }
QPushButton#Primary:hover { background: #184d89; }
QPushButton#Primary:focus { border: 2px solid #0b2a4d; }
QPushButton#Primary:disabled { background: #9db6d3; border-color: #9db6d3; }
QLineEdit, QComboBox { padding: 6px; border: 1px solid #b9c3cf; border-radius: 5px; background: #ffffff; }
QLineEdit:focus, QComboBox:focus { border: 2px solid #1f5fa8; }
QListWidget, QTreeWidget, QTextBrowser { background: #ffffff; border: 1px solid #dde3ea; border-radius: 6px; }
QListWidget::item, QTreeWidget::item { padding: 6px; }
QListWidget::item:selected, QTreeWidget::item:selected { background: #dbe8f7; color: #1d2430; }
QProgressBar { border: 1px solid #c9d2dc; border-radius: 5px; background: #eef1f5; text-align: center;
               min-height: 14px; }
QProgressBar::chunk { background: #2e7d32; border-radius: 4px; }
QRadioButton, QCheckBox { padding: 5px 2px; spacing: 8px; }
QRadioButton:focus, QCheckBox:focus { background: #e7eff9; }
"""
