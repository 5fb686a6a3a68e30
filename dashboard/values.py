"""Plain Python values from pandas/numpy cells: the one missing-value test and the one JSON conversion."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def is_na(value: object) -> bool:
    """True for None, NaN, NaT and pd.NA; containers are values, never missing."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # arrays and other containers: pd.isna answers element-wise
        return False


def json_value(value: Any) -> Any:
    """A cell as plain JSON: None if missing, a Timestamp's ISO date (YYYY-MM-DD), numpy scalars as Python's."""
    if is_na(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


def number(value: object) -> float | None:
    """A cell as a float; missing or non-numeric values become None."""
    if is_na(value):
        return None
    try:
        return float(value)  # type: ignore[arg-type]  # anything float() accepts; the rest is None below
    except (TypeError, ValueError):
        return None


def text(value: object) -> str:
    """A cell as text; missing values become ''."""
    return "" if is_na(value) else str(value)
