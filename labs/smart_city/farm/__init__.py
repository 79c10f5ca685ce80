"""The container farm lab's engine (issue 8, scenario 5): no Qt, no user-visible text, testable headless.

lettuce   - Van Henten's (1994) two-state lettuce growth model: light, CO2 and temperature -> dry weight
container - a 40-foot container farm's electricity (LED lighting, heating and cooling, fans and pumps) and CO2
farm      - setpoints -> days to harvest, harvests a year, kg per m2 a year, kWh per kg, within the energy budget
            or not; a grid search for the best setpoints within a budget, and a naive and an over-budget choice

Formulas, assumptions and sources: README.md beside this file.
"""
