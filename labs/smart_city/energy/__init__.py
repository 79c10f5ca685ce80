"""The plant energy lab's engine (issue 8, scenario 4): no Qt, no user-visible text, testable headless.

tariff   - KEPCO's industrial time-of-use tariff (light, mid and peak hours by season) and the grid's CO2 factor
data     - the `steel-plant-energy` readings as hourly and daily series, with the plant's working calendar
forecast - load models (seasonal naive, same-day-type profile, ridge, gradient boosting) and their errors
plant    - the plant: two lines, crews by the hour, the maximum load, today's baseline schedule
schedule - evaluate a day's schedule (kWh, cost, CO2, broken limits) and find the cheapest or leanest one
savings  - whether a claimed saving can be told apart from the load model's error (measurement and verification)

Formulas, assumptions and sources: README.md beside this file.
"""
