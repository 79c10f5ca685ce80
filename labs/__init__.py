"""Hands-on labs, one package per family (data_analysis, automation, chatbot, smart_city).

Each family has an engine (no Qt, tested headless) and a panel (Qt). The lab stack (pandas,
scikit-learn) is heavy, so nothing here is imported at start-up: `labs.stack.import_lab_stack()`
loads it when a lab opens (and `--self-test` calls it to prove a bundle carries it).
"""
