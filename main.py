"""Civic AI Academy. `python main.py` opens the app; `python main.py COMMAND ...` runs a headless
command (`python main.py --help`, `python main.py course --help`)."""

import sys

if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen build's second process (progress import) starts here
    from app.launcher import main

    sys.exit(main())
