"""The adaptive traffic signals lab's engine: no Qt, no user-visible text except N_()-marked names, testable headless.

webster   - Webster's method: flow ratios, lost time, optimum cycle, green splits, delay per vehicle
district  - a small grid of signalised intersections (approaches, saturation flows, lost times, links, layout)
demand    - hourly demand per approach from the real metro-traffic counts; forecasts by hour and their errors
plans     - a fixed-time plan (one timing all day) and a demand-responsive plan (Webster re-timed every hour)
simulate  - simulate_day(district, demand, plan): cycle, greens, degree of saturation, delay, queues by hour
            and by 15 minutes, and the comparison of two plans
benchmark - run_benchmark(): seconds for a simulated day against a plain-loop baseline in the same run

Formulas, assumptions and sources: README.md beside this file.
"""
