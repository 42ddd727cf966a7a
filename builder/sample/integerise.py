"""Turn real-valued designs into integer counts that keep totals exact.

The golden tables fix row and column totals, so ordinary rounding (which drifts
by a few crimes) is not good enough. Vectors use largest-remainder rounding;
matrices use *controlled rounding*: every cell goes to its floor or its ceiling
and a small bipartite flow chooses which cells round up so that both margins
hold exactly. Such a solution always exists when the real matrix has integer
margins (a classical result on rounding matrices), so failure means a bug.
"""

from __future__ import annotations

from collections import deque

import numpy as np

_EPS = 1e-9


def largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Split integer ``total`` in proportion to non-negative ``weights``.

    Ties are broken by position (stable sort) so the result is deterministic.
    """
    weights = np.asarray(weights, dtype=float)
    if total < 0 or (weights < 0).any() or weights.sum() <= 0:
        raise ValueError("largest_remainder needs a non-negative total and positive weights")
    exact = weights * (total / weights.sum())
    floors = np.floor(exact + _EPS).astype(np.int64)
    short = total - int(floors.sum())
    order = np.argsort(-(exact - floors), kind="stable")
    floors[order[:short]] += 1
    return floors


def ipf(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, *, iterations: int = 500) -> np.ndarray:
    """Scale ``seed`` so its margins match ``rows`` and ``cols`` (iterative proportional fitting).

    Keeps the seed's interaction pattern (which types are urban, say) while
    honouring the fixed margins; the result is real-valued, ready for rounding.
    """
    fitted = np.asarray(seed, dtype=float).copy()
    rows = np.asarray(rows, dtype=float)
    cols = np.asarray(cols, dtype=float)
    for _ in range(iterations):
        fitted *= (rows / fitted.sum(axis=1))[:, None]
        fitted *= cols / fitted.sum(axis=0)
        if np.abs(fitted.sum(axis=1) - rows).max() < 1e-9:
            break
    return _close_margins(fitted, rows, cols)


def _close_margins(fitted: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Check convergence; rounding relies on the real margins being (almost) exact."""
    if np.abs(fitted.sum(axis=1) - rows).max() > 1e-6 or np.abs(fitted.sum(axis=0) - cols).max() > 1e-6:
        raise ValueError("IPF did not converge; check that the margins agree and the seed is positive")
    return fitted


def controlled_round(exact: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Round each cell of ``exact`` to floor or ceiling so margins equal ``rows`` and ``cols``.

    Cells with the largest fractional parts are tried first, so the result stays
    as close to the design as the margins allow.
    """
    exact = np.asarray(exact, dtype=float)
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    if rows.sum() != cols.sum():
        raise ValueError(f"row total {rows.sum()} differs from column total {cols.sum()}")
    floors = np.floor(exact + _EPS).astype(np.int64)
    fraction = exact - floors
    row_need = rows - floors.sum(axis=1)
    col_need = cols - floors.sum(axis=0)
    if (row_need < 0).any() or (col_need < 0).any():
        raise ValueError("margins are below the floors of the design; the design does not match them")
    ups = _round_up_cells(fraction > _EPS, fraction, row_need, col_need)
    return floors + ups


def _round_up_cells(
    allowed: np.ndarray, fraction: np.ndarray, row_need: np.ndarray, col_need: np.ndarray
) -> np.ndarray:
    """Pick cells to round up: a 0/1 matrix on ``allowed`` with the given margins.

    A greedy pass (largest fraction first) does almost all the work; augmenting
    paths then repair whatever the greedy pass left unmet.
    """
    ups = np.zeros(allowed.shape, dtype=np.int64)
    row_left = row_need.copy()
    col_left = col_need.copy()
    for flat in np.argsort(-fraction, axis=None, kind="stable"):
        i, j = divmod(int(flat), allowed.shape[1])
        if allowed[i, j] and row_left[i] > 0 and col_left[j] > 0:
            ups[i, j] = 1
            row_left[i] -= 1
            col_left[j] -= 1
    for i in range(allowed.shape[0]):
        while row_left[i] > 0:
            if not _augment(i, allowed, ups, col_left):
                raise ValueError("no integer rounding keeps both margins; the margins are inconsistent")
            row_left[i] -= 1
    return ups


def _augment(start: int, allowed: np.ndarray, ups: np.ndarray, col_left: np.ndarray) -> bool:
    """Find an alternating path from row ``start`` to a column with spare need, and flip it."""
    n_rows, n_cols = allowed.shape
    parent_of_col: dict[int, int] = {}
    parent_of_row: dict[int, int] = {start: -1}
    queue: deque[int] = deque([start])
    while queue:
        i = queue.popleft()
        for j in range(n_cols):
            if not allowed[i, j] or ups[i, j] or j in parent_of_col:
                continue
            parent_of_col[j] = i
            if col_left[j] > 0:
                _flip_path(j, parent_of_col, parent_of_row, ups)
                col_left[j] -= 1
                return True
            for k in range(n_rows):
                if ups[k, j] and k not in parent_of_row:
                    parent_of_row[k] = j
                    queue.append(k)
    return False


def _flip_path(col: int, parent_of_col: dict[int, int], parent_of_row: dict[int, int], ups: np.ndarray) -> None:
    """Walk back along the path: unused edges become used and used ones unused."""
    j = col
    while True:
        i = parent_of_col[j]
        ups[i, j] = 1
        previous_col = parent_of_row[i]
        if previous_col < 0:
            return
        ups[i, previous_col] = 0
        j = previous_col
