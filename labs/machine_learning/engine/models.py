"""The model kinds a learner can pick, their few friendly parameters, and the scikit-learn call each makes.

Gradient boosting is scikit-learn's HistGradientBoosting: on 100,000 rows it fits in seconds where
the classic GradientBoosting takes minutes, handles missing values, and grows one tree per
iteration, so `max_iter` can be raised chunk by chunk with warm_start (progress and cancel between
chunks, and the same model as one fit: early stopping is off so the tree count is what the learner set).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sklearn.cluster import KMeans
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor, RandomForestClassifier,
                              RandomForestRegressor)
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from app.core.i18n import N_, _
from labs.machine_learning.engine.problem import CLASSIFICATION, CLUSTERING, REGRESSION, TASK_TITLES, SetupProblem

LINEAR = "linear_regression"
LOGISTIC = "logistic_regression"
TREE = "decision_tree"
FOREST = "random_forest"
BOOSTING = "gradient_boosting"
KMEANS = "kmeans"

MODEL_TITLES = {
    LINEAR: N_("Linear regression"),
    LOGISTIC: N_("Logistic regression"),
    TREE: N_("Decision tree"),
    FOREST: N_("Random forest"),
    BOOSTING: N_("Gradient boosting"),
    KMEANS: N_("K-means clustering"),
}

MODELS_FOR_TASK = {
    CLASSIFICATION: (LOGISTIC, TREE, FOREST, BOOSTING),
    REGRESSION: (LINEAR, TREE, FOREST, BOOSTING),
    CLUSTERING: (KMEANS,),
}

# Models that compare the sizes of their inputs need scaled numbers; trees do not.
NEEDS_SCALING = {LINEAR, LOGISTIC, KMEANS}


@dataclass(frozen=True)
class Parameter:
    name: str
    title: str  # N_()-marked
    default: Any
    minimum: float = 0
    maximum: float = 0
    help: str = ""  # N_()-marked, one plain sentence

    @property
    def is_switch(self) -> bool:
        return isinstance(self.default, bool)


_BALANCED = Parameter("balanced", N_("Give rare classes equal weight"), False,
                      help=N_("Counts mistakes on a rare class as much as mistakes on a common one."))
_DEPTH = Parameter("max_depth", N_("Maximum depth (questions in a row)"), 4, 1, 30,
                   N_("Deeper trees learn more detail, and more noise."))
_TREES = Parameter("n_trees", N_("Number of trees"), 100, 10, 1000,
                   N_("More trees: steadier results, slower training."))

PARAMETERS: dict[str, tuple[Parameter, ...]] = {
    LINEAR: (),
    LOGISTIC: (_BALANCED,),
    TREE: (_DEPTH, _BALANCED),
    FOREST: (_TREES, Parameter("max_depth", N_("Maximum depth (questions in a row)"), 10, 1, 30,
                               N_("Deeper trees learn more detail, and more noise.")), _BALANCED),
    BOOSTING: (_TREES, Parameter("learning_rate", N_("Learning rate"), 0.1, 0.01, 1.0,
                                 N_("Smaller steps learn more carefully and need more trees.")), _BALANCED),
    KMEANS: (Parameter("k", N_("Number of groups (k)"), 3, 2, 12, N_("How many groups to look for.")),),
}

# The parameter grown chunk by chunk (with warm_start) for progress and cancel.
GROWN_PARAMETER = {FOREST: "n_estimators", BOOSTING: "max_iter"}


@dataclass(frozen=True)
class ModelSpec:
    kind: str = TREE
    params: dict[str, Any] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        for parameter in PARAMETERS[self.kind]:
            if parameter.name == name:
                return self.params.get(name, parameter.default)
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelSpec:
        return cls(str(data.get("kind", TREE)), dict(data.get("params", {})))


def default_model(task: str) -> ModelSpec:
    return ModelSpec({CLASSIFICATION: TREE, REGRESSION: TREE, CLUSTERING: KMEANS}[task])


def check_model(spec: ModelSpec, task: str) -> None:
    if spec.kind not in PARAMETERS:
        raise SetupProblem(_("Unknown model: {kind}.").format(kind=spec.kind))
    if spec.kind not in MODELS_FOR_TASK[task]:
        raise SetupProblem(_("{model} does not fit this task: {task}. Choose one of: {choices}.").format(
            model=_(MODEL_TITLES[spec.kind]), task=_(TASK_TITLES[task]),
            choices=", ".join(_(MODEL_TITLES[k]) for k in MODELS_FOR_TASK[task])))
    for parameter in PARAMETERS[spec.kind]:
        value = spec.value(parameter.name)
        if not parameter.is_switch and not parameter.minimum <= value <= parameter.maximum:
            raise SetupProblem(_("{name} must be between {low} and {high} (it is {value}).").format(
                name=_(parameter.title), low=parameter.minimum, high=parameter.maximum, value=value))


def estimator_source(spec: ModelSpec, task: str, seed: int) -> str:
    """The scikit-learn constructor call for this model, as the learner's script writes it."""
    kind, value = spec.kind, spec.value
    weight = ', class_weight="balanced"' if task == CLASSIFICATION and kind != KMEANS and spec.params.get(
        "balanced", False) else ""
    if kind == LINEAR:
        return "LinearRegression()"
    if kind == LOGISTIC:
        return f"LogisticRegression(max_iter=1000{weight})"
    if kind == TREE:
        name = "DecisionTreeClassifier" if task == CLASSIFICATION else "DecisionTreeRegressor"
        return f"{name}(max_depth={int(value('max_depth'))}{weight}, random_state={seed})"
    if kind == FOREST:
        name = "RandomForestClassifier" if task == CLASSIFICATION else "RandomForestRegressor"
        return (f"{name}(n_estimators={int(value('n_trees'))}, max_depth={int(value('max_depth'))}{weight}, "
                f"random_state={seed})")
    if kind == BOOSTING:
        name = "HistGradientBoostingClassifier" if task == CLASSIFICATION else "HistGradientBoostingRegressor"
        return (f"{name}(max_iter={int(value('n_trees'))}, learning_rate={float(value('learning_rate'))!r}"
                f"{weight}, early_stopping=False, random_state={seed})")
    if kind == KMEANS:
        return f"KMeans(n_clusters={int(value('k'))}, n_init=10, random_state={seed})"
    raise SetupProblem(_("Unknown model: {kind}.").format(kind=kind))


def baseline_source(task: str) -> str:
    """The naive model every run is compared with: the most common class, or the training average."""
    return 'DummyClassifier(strategy="most_frequent")' if task == CLASSIFICATION else 'DummyRegressor(strategy="mean")'


ESTIMATOR_NAMES: dict[str, Any] = {cls.__name__: cls for cls in (
    LinearRegression, LogisticRegression, DecisionTreeClassifier, DecisionTreeRegressor, RandomForestClassifier,
    RandomForestRegressor, HistGradientBoostingClassifier, HistGradientBoostingRegressor, KMeans,
    DummyClassifier, DummyRegressor)}
