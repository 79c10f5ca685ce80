"""The machine-learning lab's engine: no Qt, testable headless.

problem   - which kind of task a target makes (classification, regression, clustering)
prepare   - feature columns -> model matrix, as an sklearn ColumnTransformer
split     - random or time-based train/test split
models    - the model kinds and their friendly parameters
cautions  - leakage, future-data and class-imbalance warnings
training  - train(frame, spec, state) -> RunResult: metrics, baseline, importance, cautions
script    - the runnable pandas + scikit-learn script that does the same as a run
card      - the one-page model card in Markdown
workspace - ModelWorkspace: the learner's work, snapshot() and open_workspace()
samples   - small made-up frames shaped like the lab's datasets (tests, previews)
benchmark - gradient boosting on 100,000 rows, headless or through the panel
"""
