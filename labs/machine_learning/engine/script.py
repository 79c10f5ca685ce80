"""The runnable pandas + scikit-learn script that does what the learner did in the lab.

It is built from the same pieces the engine runs (preparation source, split source, estimator
source), and a test executes it and compares its numbers with the engine's.
"""

from __future__ import annotations

import pandas as pd

from app.core.i18n import _
from labs.machine_learning.engine.models import NEEDS_SCALING, baseline_source, estimator_source
from labs.machine_learning.engine.prepare import DATE_PARTS_SOURCE, feature_groups, preprocessor_source
from labs.machine_learning.engine.problem import CLASSIFICATION, CLUSTERING, SetupProblem, infer_task
from labs.machine_learning.engine.split import RANDOM, can_stratify, split_source
from labs.machine_learning.engine.training import (IMPORTANCE_REPEATS, IMPORTANCE_ROWS, IMPORTANCE_SCORING,
                                                   RESIDUAL_POINTS, SILHOUETTE_ROWS, RunSpec, rows_with_target,
                                                   target_source)


def _comment(text: str) -> str:
    return "# " + text


def load_source(data_file: str, parse_dates: list[str]) -> str:
    dates = f", parse_dates={parse_dates!r}" if parse_dates else ""
    return f"data = pd.read_csv({data_file!r}{dates})"


def script(frame: pd.DataFrame, target: str | None, features: tuple[str, ...] | list[str], spec: RunSpec | None,
           data_file: str, parse_dates: list[str], title: str = "") -> str:
    """The script for the learner's current choices. `target` "" means not chosen yet (only the loading
    is shown); `spec` is None until target and features make a trainable run."""
    lines = [_comment(_("What you did in the lab, as pandas and scikit-learn code. Run it with Python."))]
    if title:
        lines.append(_comment(_("Data: {title}").format(title=title)))
    imports = ["import numpy as np", "import pandas as pd"]
    body = ["", _comment(_("1. Load the data")), load_source(data_file, parse_dates)]
    if target == "" or spec is None:
        body += ["", _comment(_("Next: choose the column to predict and the columns to predict it from.")),
                 "print(data.head())"]
        if target:
            body.insert(-1, f"target = {target!r}")
        if features:
            body.insert(-1, f"features = {list(features)!r}")
        return "\n".join(lines + imports + body) + "\n"
    try:
        task = infer_task(frame, spec.target)
    except SetupProblem as problem:
        body += ["", _comment(str(problem))]
        return "\n".join(lines + imports + body) + "\n"
    groups = feature_groups(frame, list(spec.features))
    model_source = estimator_source(spec.model, task, spec.seed)
    model_class = model_source.split("(")[0]
    imports += ["from sklearn.compose import ColumnTransformer",
                "from sklearn.impute import SimpleImputer",
                "from sklearn.pipeline import Pipeline, make_pipeline",
                "from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler",
                f"from {_module_of(model_class)} import {model_class}"]
    prepare = preprocessor_source(groups, scale=spec.model.kind in NEEDS_SCALING)
    pipeline = (f'model = Pipeline([\n    ("prepare", {_indent(prepare)}),\n    ("model", {model_source}),\n])')
    date_function = [DATE_PARTS_SOURCE.rstrip(), ""] if groups["date"] else []
    if task == CLUSTERING:
        imports += ["from sklearn.metrics import silhouette_score"]
        body += _clustering_body(spec, groups, pipeline, date_function)
    else:
        body += _supervised_body(frame, spec, task, pipeline, date_function)
        imports += _supervised_imports(task)
    return "\n".join(lines + sorted(set(imports), key=imports.index) + body) + "\n"


def _indent(source: str) -> str:
    return source.replace("\n", "\n    ")


def _module_of(class_name: str) -> str:
    if "Forest" in class_name or "Boosting" in class_name:
        return "sklearn.ensemble"
    if "Tree" in class_name:
        return "sklearn.tree"
    if class_name == "KMeans":
        return "sklearn.cluster"
    return "sklearn.linear_model"


def _supervised_imports(task: str) -> list[str]:
    if task == CLASSIFICATION:
        return ["from sklearn.dummy import DummyClassifier", "from sklearn.inspection import permutation_importance",
                ("from sklearn.metrics import accuracy_score, balanced_accuracy_score, classification_report, "
                 "confusion_matrix"), "from sklearn.model_selection import train_test_split"]
    return ["from sklearn.dummy import DummyRegressor", "from sklearn.inspection import permutation_importance",
            "from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error",
            "from sklearn.model_selection import train_test_split"]


def _supervised_body(frame: pd.DataFrame, spec: RunSpec, task: str, pipeline: str,
                     date_function: list[str]) -> list[str]:
    target = spec.target
    body = ["", _comment(_("2. The column to predict, and the columns to predict it from")),
            f"target = {target!r}", f"features = {list(spec.features)!r}",
            _comment(_("Rows without a value to predict cannot teach or test anything.")),
            "data = data.dropna(subset=[target])"]
    convert = target_source(frame, target, task)
    if convert:
        body.append(convert)
    stratified = (spec.split.kind == RANDOM and spec.split.stratify and task == CLASSIFICATION
                  and can_stratify(rows_with_target(frame, target, task)[target], spec.split.test_fraction))
    if spec.split.kind == RANDOM:
        explain = _("3. Split at random: {share} of the rows are kept aside to test the model on rows it never "
                    "saw").format(share=f"{spec.split.test_fraction:.0%}")
    else:
        explain = _("3. Split by time: train on the earlier rows, test on the last {share} (by {column})").format(
            share=f"{spec.split.test_fraction:.0%}", column=spec.split.time_column)
    body += ["", _comment(explain), split_source(spec.split, target, task, stratified)]
    body += ["", _comment(_("4. Prepare the features and choose the model"))] + date_function + [pipeline]
    body += ["", _comment(_("5. Train on the training rows")), "model.fit(train[features], train[target])"]
    body += ["", _comment(_("6. Measure on the test rows")), "predicted = model.predict(test[features])"]
    if task == CLASSIFICATION:
        body += ["accuracy = accuracy_score(test[target], predicted)",
                 "balanced_accuracy = balanced_accuracy_score(test[target], predicted)",
                 'print("accuracy:", round(accuracy, 3), "balanced accuracy:", round(balanced_accuracy, 3))',
                 "labels = sorted(set(train[target]) | set(test[target]))",
                 _comment(_("Confusion matrix: rows are the true classes, columns the predicted ones")),
                 ("print(pd.DataFrame(confusion_matrix(test[target], predicted, labels=labels), index=labels, "
                  "columns=labels))"),
                 "print(classification_report(test[target], predicted, zero_division=0))"]
    else:
        body += ["r2 = r2_score(test[target], predicted)",
                 "mae = mean_absolute_error(test[target], predicted)",
                 "rmse = root_mean_squared_error(test[target], predicted)",
                 'print("R2:", round(r2, 3), "MAE:", round(mae, 3), "RMSE:", round(rmse, 3))',
                 _comment(_("Residuals (true minus predicted) for a residual plot, on a sample of points")),
                 "residuals = test[target] - predicted",
                 f"points = np.random.default_rng({spec.seed}).permutation(len(test))[:{RESIDUAL_POINTS}]",
                 ("print(pd.DataFrame({\"predicted\": predicted[points], \"residual\": residuals.to_numpy()[points]})"
                  ".describe())")]
    body += ["", _comment(_("7. Compare with a naive baseline that ignores the features")),
             f"baseline = {baseline_source(task)}.fit(train[features], train[target])",
             "baseline_predicted = baseline.predict(test[features])"]
    if task == CLASSIFICATION:
        body += ["baseline_accuracy = accuracy_score(test[target], baseline_predicted)",
                 "baseline_balanced_accuracy = balanced_accuracy_score(test[target], baseline_predicted)",
                 ('print("always", repr(baseline_predicted[0]), "- accuracy:", round(baseline_accuracy, 3), '
                  '"balanced accuracy:", round(baseline_balanced_accuracy, 3))')]
    else:
        body += ["baseline_r2 = r2_score(test[target], baseline_predicted)",
                 "baseline_mae = mean_absolute_error(test[target], baseline_predicted)",
                 ('print("always", round(baseline_predicted[0], 3), "- R2:", round(baseline_r2, 3), '
                  '"MAE:", round(baseline_mae, 3))')]
    body += ["", _comment(_("8. Which features matter: how much the score drops when one is shuffled")),
             f"sample = test.sample(n=min({IMPORTANCE_ROWS}, len(test)), random_state={spec.seed})",
             (f"result = permutation_importance(model, sample[features], sample[target], "
              f"scoring={IMPORTANCE_SCORING[task]!r}, n_repeats={IMPORTANCE_REPEATS}, random_state={spec.seed})"),
             "importance = pd.Series(result.importances_mean, index=features).sort_values(ascending=False)",
             "print(importance)"]
    return body


def _clustering_body(spec: RunSpec, groups: dict[str, list[str]], pipeline: str, date_function: list[str]) -> list[str]:
    body = ["", _comment(_("2. No column to predict: group similar rows by these columns")),
            f"features = {list(spec.features)!r}",
            "", _comment(_("3. Prepare the features and choose the model"))] + date_function + [pipeline]
    body += ["", _comment(_("4. Find the groups (k-means uses every row: there is no answer to test against)")),
             "model.fit(data[features])", "labels = model[\"model\"].labels_",
             "print(pd.Series(labels).value_counts().sort_index())"]
    if groups["number"]:
        body += [_comment(_("The centre of each group, in the data's own units")),
                 f"print(data[{groups['number']!r}].groupby(labels).mean())"]
    body += ["", _comment(_("5. Measure: how well separated the groups are, and how tight")),
             "X = model[\"prepare\"].transform(data[features])",
             f"sample = np.random.default_rng({spec.seed}).permutation(len(data))[:{SILHOUETTE_ROWS}]",
             "silhouette = silhouette_score(X[sample], labels[sample])",
             "inertia = model[\"model\"].inertia_",
             _comment(_("The naive baseline: every row in one group")),
             "one_group = ((X - X.mean(axis=0)) ** 2).sum()",
             ('print("silhouette:", round(silhouette, 3), "spread:", round(inertia, 1), '
              '"one group:", round(one_group, 1))')]
    return body


def step_sources(frame: pd.DataFrame, target: str | None, features: tuple[str, ...] | list[str],
                 spec: RunSpec | None) -> dict[str, str]:
    """The few lines behind each step of the panel: "target", "split", "model" (whatever is decided)."""
    steps: dict[str, str] = {}
    if target == "" and not features:
        return steps
    steps["target"] = (f"target = {target!r}\n" if target else "") + f"features = {list(features)!r}"
    if spec is None:
        return steps
    try:
        task = infer_task(frame, spec.target)
    except SetupProblem:
        return steps
    if task != CLUSTERING:
        stratified = (spec.split.kind == RANDOM and spec.split.stratify and task == CLASSIFICATION
                      and can_stratify(rows_with_target(frame, target, task)[target], spec.split.test_fraction))
        steps["split"] = split_source(spec.split, target, task, stratified)
    groups = feature_groups(frame, list(spec.features))
    prepare = preprocessor_source(groups, scale=spec.model.kind in NEEDS_SCALING)
    steps["model"] = (f'model = Pipeline([\n    ("prepare", {_indent(prepare)}),\n'
                      f'    ("model", {estimator_source(spec.model, task, spec.seed)}),\n])\n'
                      + ("model.fit(data[features])" if task == CLUSTERING
                         else "model.fit(train[features], train[target])"))
    return steps
