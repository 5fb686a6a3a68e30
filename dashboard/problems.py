"""The one record of something wrong in an input file (file, line, column, reason); check results as such."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file: where, which column, and why."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


def problems_from(errors: pd.DataFrame, lines: np.ndarray, name: str) -> list[Problem]:
    """The error frame (rows by position) as Problem records, one per failing check and row."""
    problems = []
    for key in errors.columns:
        column = key.split("#")[0]
        for row, message in errors[key].dropna().items():
            problems.append(Problem(name, int(lines[row]), column, message))
    return problems
