"""Smart-city labs (issue 8): each scenario lets a civil servant try a city AI idea on data, see what it gains and
see where it fails. Every scenario keeps its engine Qt-free and tested on its own:

- traffic/: adaptive traffic signals (Webster's signal timing and delay, a small district of signalised
  intersections, hourly demand from real Minnesota DOT counts, fixed-time against demand-responsive plans over a
  simulated day). Its lab is ready: traffic_lab.py (tasks, checks, reference, wrong attempts), traffic_workspace.py
  and traffic_script.py (Qt-free), and the Qt panel traffic_panel.py with traffic_widgets/ (the animated map).
- care/: alarms for elders living alone (the Dasomi robot's fixed rules against alarms learned per household).
- air/: tomorrow's PM2.5 from weather and past readings (real Beijing data), and the alert threshold.
- energy/: a steel plant's load forecast and schedule changes under a time-of-use tariff.
- farm/: a container farm's setpoints with a published lettuce growth model, within an energy budget.

The care, air, energy and farm labs (definitions and panels) are still to come; they import these engines, never
the other way round.
"""
