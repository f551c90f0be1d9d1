"""Load and validate an evaluation model file (TOML); a bad file stops the app at start."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from backend.credit.vocab import GRADES, ListType, RecordCategory, Severity

MODELS_DIR = Path(__file__).parent / "models"
RECORD_CATEGORIES = tuple(RecordCategory)
LIST_TYPES = tuple(ListType)
SEVERITIES = tuple(Severity)


class ModelError(ValueError):
    """The model file is malformed; the message names the key."""


@dataclass(frozen=True)
class CategoryRule:
    category: str
    title: str
    indicator: str
    points: float | None
    by_severity: dict[str, float] | None
    by_result: dict[str, float] | None


@dataclass(frozen=True)
class GradingModel:
    version: str
    title: str
    base_score: float
    min_score: float
    max_score: float
    thresholds: dict[str, float]
    decay: tuple[tuple[int, float], ...]
    indicators: dict[str, dict]
    categories: dict[str, CategoryRule]
    tolerance: dict
    lists: dict[str, dict]
    source: str

    def grade_for(self, score: float) -> str:
        for grade in "ABC":
            if score >= self.thresholds[grade]:
                return grade
        return "D"

    def decay_factor(self, age_days: int) -> float:
        for max_age, factor in self.decay:
            if age_days <= max_age:
                return factor
        return 0.0

    def results_for(self, category: str) -> tuple[str, ...] | None:
        """Allowed `result` values for a category, or None when it takes none."""
        rule = self.categories[category]
        return tuple(rule.by_result) if rule.by_result else None


def _need(table: dict, key: str, where: str, kind=None):
    if key not in table:
        raise ModelError(f"{where}: missing {key!r}")
    value = table[key]
    if kind is not None and not isinstance(value, kind):
        raise ModelError(f"{where}.{key}: expected {kind.__name__ if isinstance(kind, type) else kind}")
    return value


def _points_table(raw, where: str, keys=None) -> dict[str, float] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not all(isinstance(v, (int, float)) for v in raw.values()):
        raise ModelError(f"{where}: expected a table of numbers")
    if keys is not None and set(raw) != set(keys):
        raise ModelError(f"{where}: needs exactly {', '.join(keys)}")
    return {k: float(v) for k, v in raw.items()}


def parse_model(data: dict, source: str = "<memory>") -> GradingModel:
    """Validate a parsed model; raises ModelError naming the first bad key."""
    version = _need(data, "version", "model", str)
    thresholds = _need(data, "thresholds", "model", dict)
    if set(thresholds) != set("ABC") or not thresholds["A"] > thresholds["B"] > thresholds["C"]:
        raise ModelError("thresholds: need A > B > C")
    decay = tuple((int(_need(t, "max_age_days", "decay")), float(_need(t, "factor", "decay")))
                  for t in data.get("decay", []))
    if [d[0] for d in decay] != sorted(d[0] for d in decay):
        raise ModelError("decay: tiers must be in increasing max_age_days")
    indicators = _need(data, "indicators", "model", dict)
    for name, ind in indicators.items():
        for key in ("title", "weight", "min", "max"):
            _need(ind, key, f"indicators.{name}")
    categories = {}
    raw_categories = _need(data, "categories", "model", dict)
    if set(raw_categories) != set(RECORD_CATEGORIES):
        missing = set(RECORD_CATEGORIES) ^ set(raw_categories)
        raise ModelError(f"categories: must cover exactly the record categories (differs on {sorted(missing)})")
    for name, raw in raw_categories.items():
        where = f"categories.{name}"
        indicator = _need(raw, "indicator", where, str)
        if indicator not in indicators:
            raise ModelError(f"{where}.indicator: unknown indicator {indicator!r}")
        rule = CategoryRule(name, _need(raw, "title", where, str), indicator,
                            float(raw["points"]) if "points" in raw else None,
                            _points_table(raw.get("severity"), f"{where}.severity", SEVERITIES),
                            _points_table(raw.get("result"), f"{where}.result"))
        if sum(x is not None for x in (rule.points, rule.by_severity, rule.by_result)) != 1:
            raise ModelError(f"{where}: give exactly one of points, severity, result")
        categories[name] = rule
    lists = data.get("lists", {})
    if not set(lists) <= set(LIST_TYPES):
        raise ModelError(f"lists: unknown list {sorted(set(lists) - set(LIST_TYPES))}")
    for name, rule in lists.items():
        for key in ("force", "cap"):
            if key in rule and rule[key] not in GRADES:
                raise ModelError(f"lists.{name}.{key}: must be one of {GRADES}")
    return GradingModel(version=version, title=data.get("title", version), base_score=float(data["base_score"]),
                        min_score=float(data.get("min_score", 0)), max_score=float(data.get("max_score", 100)),
                        thresholds={k: float(v) for k, v in thresholds.items()}, decay=decay,
                        indicators=indicators, categories=categories, tolerance=data.get("tolerance", {}),
                        lists=lists, source=source)


def load_model(name_or_path: str) -> GradingModel:
    """Load `v1` (from backend/grading/models) or a path to a .toml file; raises ModelError."""
    path = Path(name_or_path)
    if not path.suffix:
        path = MODELS_DIR / f"{name_or_path}.toml"
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ModelError(f"cannot read evaluation model {path}: {e}") from None
    if isinstance(data.get("effective"), dt.date):
        data["effective"] = data["effective"].isoformat()
    return parse_model(data, str(path))
