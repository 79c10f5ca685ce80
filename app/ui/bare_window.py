"""The baseline for the start-up benchmark: the smallest PySide6 window, measured the same way."""

import json
import sys

from PySide6.QtWidgets import QApplication, QLabel

from app.ui.first_paint import FirstPaint


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QLabel("Hello")
    window.resize(1100, 760)

    def painted(when: float) -> None:
        print(json.dumps({"event": "paint", "time": when}), flush=True)
        app.quit()

    FirstPaint(window, painted)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
