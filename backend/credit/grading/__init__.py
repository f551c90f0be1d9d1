"""The declarative, versioned evaluation model: loading (model.py) and pure scoring (evaluate.py)."""

from backend.credit.grading.evaluate import Evaluation, ListFact, RecordFact, evaluate
from backend.credit.grading.model import GRADES, GradingModel, ModelError, load_model

__all__ = [
           "GRADES",
           "Evaluation",
           "GradingModel",
           "ListFact",
           "ModelError",
           "RecordFact",
           "evaluate",
           "load_model",
]
