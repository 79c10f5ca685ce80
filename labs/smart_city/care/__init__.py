"""The care lab's engine (elders living alone, after the Dasomi care robot): no Qt, no user-visible text.

streams  - one household's 5-minute motion/door/sound readings as arrays, its labelled emergencies, and the series
           alarms read (time since the last movement or sound, whether the resident is probably out)
rules    - the robot's fixed rules: speak up after 30 minutes of silence, call a guardian after 5 hours still
learned  - an alarm learned from each household's own routine (per-hour limits on still spells, a floor on
           activity, the longest outing), and weekly re-learning
evaluate - false calls per household-month, missed emergencies, time to alert and hours unattended; the systems
           the lab compares, including plausible wrong ones
privacy  - which data each alarm needs, who is told what, and what dropping or coarsening each field costs

Data: the synthetic `elder-care-activity` dataset (labs/datasets/elder_care.py). Formulas, assumptions, sources
and the measured results: README.md beside this file.
"""
