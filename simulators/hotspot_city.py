"""The made-up city of the hotspots toy: its map, its real crime, its past patrols.

Pure numpy, with an explicit random generator passed in (as ml-fairness-gym does).
``simulators/hotspots.py`` runs the AI on it; everything here is an assumption of
ours, said on the page: how crime is spread, how people placed patrols before the
AI, where a new estate is built.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse, special

#: Mean true crimes per area per day.
MEAN_RATE = 0.5
#: Spread of true rates (standard deviation of their logarithm).
RATE_SPREAD = 0.9
#: The city is a 4 x 4 patchwork of neighbourhoods; this many belong to group B.
NEIGHBOURHOODS_PER_SIDE = 4
B_NEIGHBOURHOODS = 6
#: Weight of the neighbours' records in an area's risk score.
SPILLOVER = 0.3
#: Crimes a day the new estate brings to each of its squares, on top of what was
#: there (as busy as the busiest few streets of the city).
ESTATE_EXTRA = 1.5


def city(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Neighbourhood id (0-15) per square and whether it is group B's."""
    k = NEIGHBOURHOODS_PER_SIDE
    band = np.arange(n) * k // n
    hood = band[:, None] * k + band[None, :]
    b_hoods = rng.choice(k * k, size=B_NEIGHBOURHOODS, replace=False)
    return hood, np.isin(hood, b_hoods)


def true_rates(
    hood: np.ndarray, is_b: np.ndarray, ratio: float, rng: np.random.Generator
) -> np.ndarray:
    """Skewed rates, clustered into hot streets; the same mix in every neighbourhood.

    Each neighbourhood gets one rate from each slice of the same log-normal
    distribution (stratified sampling), placed along a smooth random field so that
    busy squares sit next to each other. So, before ``ratio``, group A and group B
    have the same crime, and the same share of the hotspots, by construction.
    """
    n = hood.shape[0]
    z = rng.normal(size=(n + 2, n + 2))
    field = z[1:-1, 1:-1] * 2 + z[:-2, 1:-1] + z[2:, 1:-1] + z[1:-1, :-2] + z[1:-1, 2:]
    h, f = hood.ravel(), field.ravel()
    order = np.lexsort((f, h))
    size = np.bincount(h)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    rank = np.empty(h.size)
    rank[order] = np.arange(h.size) - start[h[order]]
    u = (rank + rng.random(h.size)) / size[h]
    rate = MEAN_RATE * np.exp(RATE_SPREAD * special.ndtri(u) - RATE_SPREAD**2 / 2)
    rate = rate.reshape(n, n)
    return np.where(is_b, rate * ratio, rate)


def estate_site(hood: np.ndarray, is_b: np.ndarray, rate: np.ndarray,
                rng: np.random.Generator) -> np.ndarray:
    """Where a new estate would be built: the quietest block of squares (about 3 x 3
    on a 20 x 20 city) inside one of group B's neighbourhoods, picked at random.
    Quiet land is where patrols rarely go, so the AI hears of it only through reports."""
    n = hood.shape[0]
    side = max(2, round(n / 7))
    b_hoods = np.unique(hood[is_b])
    chosen = b_hoods[rng.integers(len(b_hoods))]
    rows, cols = np.nonzero(hood == chosen)
    best, site = np.inf, np.zeros((n, n), dtype=bool)
    for r in range(rows.min(), rows.max() - side + 2):
        for c in range(cols.min(), cols.max() - side + 2):
            total = rate[r: r + side, c: c + side].sum()
            if total < best:
                best = total
                site[:] = False
                site[r: r + side, c: c + side] = True
    return site


def neighbour_mixer(n: int) -> sparse.csr_matrix:
    """Matrix K with risk = K @ memory: own memory blended with the neighbours' mean."""
    idx = np.arange(n * n).reshape(n, n)
    rows, cols = [], []
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if dr == 0 and dc == 0:
                continue
            a = idx[max(dr, 0): n + min(dr, 0), max(dc, 0): n + min(dc, 0)]
            b = idx[max(-dr, 0): n + min(-dr, 0), max(-dc, 0): n + min(-dc, 0)]
            rows.append(a.ravel())
            cols.append(b.ravel())
    r, c = np.concatenate(rows), np.concatenate(cols)
    deg = np.bincount(r, minlength=n * n).astype(float)
    neigh = sparse.csr_matrix((SPILLOVER / deg[r], (r, c)), shape=(n * n, n * n))
    return (neigh + sparse.identity(n * n, format="csr") * (1 - SPILLOVER)).tocsr()


def top_k_rows(keys: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the k largest keys in each row."""
    mask = np.zeros(keys.shape, dtype=bool)
    if k <= 0:
        return mask
    top = np.argpartition(-keys, k - 1, axis=1)[:, :k]
    np.put_along_axis(mask, top, True, axis=1)
    return mask


def past_patrols(rate: np.ndarray, is_b: np.ndarray, days: int, k: int, set_aside: float,
                 rng: np.random.Generator) -> np.ndarray:
    """``(days, cells)`` patrols people placed before the AI.

    Each day ``round(set_aside * k)`` patrols are kept for group B's areas whatever
    their crime (placed on B's squares, busier ones more often); the rest go to
    squares anywhere, busier ones more often. "More often" is a random draw weighted
    by the square's real crime (Gumbel top-k: without replacement, so a very busy
    square is patrolled on most days rather than several times a day).
    """
    cells = rate.size
    log_rate = np.log(rate)
    reserved = round(set_aside * k)
    # Both draws are made whatever ``set_aside`` is, so one world number gives the
    # same city, crime and later chances with or without the bias.
    kept, spread = -np.log(-np.log(rng.random((2, days, cells))))
    patrols = top_k_rows(np.where(is_b, log_rate + kept, -np.inf), reserved)
    patrols |= top_k_rows(np.where(patrols, -np.inf, log_rate + spread), k - reserved)
    return patrols
