"""Smart-city labs (issue 8): each scenario lets a civil servant try a city AI idea on data, see what it gains and
see where it fails.

Each scenario has an engine package (Qt-free, tested on its own, with a README giving its formulas, sources and
limits) and a lab built on it: <name>_lab.py (the lab's texts, tasks with checks, reference solution and wrong
attempts), <name>_workspace.py (the learner's work, Qt-free), <name>_script.py (the runnable script shown beside the
work), and the Qt panel <name>_panel.py with its widgets in <name>_widgets/.

- traffic/: adaptive traffic signals (Webster's signal timing and delay, a small district of signalised
  intersections, hourly demand from real Minnesota DOT counts, fixed-time against demand-responsive plans over a
  simulated day, an animated map by level of service).
- care/: alarms for elders living alone (the Dasomi robot's fixed rules against alarms learned per household;
  false calls against missed emergencies; what data may be kept and who sees it).
- air/: tomorrow's PM2.5 from weather and past readings (real Beijing data), and the alert threshold.
- energy/: a steel plant's load forecast and schedule changes under a time-of-use tariff.
- farm/: a container farm's setpoints with a published lettuce growth model, within an energy budget.

The labs import their engines, never the other way round; the course courses/smart-city places all five.
"""
