"""Mediation: specific indirect effects along named chains of paths, with bootstrap inference.

In a recursive path model with path matrix ``P`` (``P[i, j]`` the path i -> j) the effect of X on
Y carried by one chain ``X -> M_1 -> ... -> M_k -> Y`` is the product of its paths,

    ind(X, M_1, ..., M_k, Y) = P[X, M_1] * P[M_1, M_2] * ... * P[M_k, Y],

the *specific indirect effect* (Hair et al. 2022, ch. 7; Zhao, Lynch & Chen 2010).  Summed over
every chain from X to Y with at least one mediator it gives the *total indirect effect*
``T[X, Y] - P[X, Y]`` with ``T = P + P^2 + ...`` (each power ``P^m`` sums the products along the
chains of m links), which :func:`~helpers.pls.bootstrap.bootstrap_model` already reports.

Inference reuses the bootstrap draws of the paths: in every resample b that converged the product
is taken of that resample's paths, so the draws of a specific effect are exact functions of the
draws of its links (and follow any sign-change correction the bootstrap applied).  The summary is
the bootstrap's (:func:`~helpers.pls.bootstrap.summarise_draws`): mean, SD (n-1), ``t =
estimate / SD``, the Student-t ``p`` with ``B - 1`` df, seminr's ``p_boot = 2 min(s, 1 - s)``
(``s`` the share of draws <= 0) and the percentile interval (type-7 quantiles), as seminr's
``specific_effect_significance``.  BCa needs jackknife products and is not offered here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .bootstrap import BootstrapResult, summarise_draws
from .spec import ModelSpecificationError

EFFECT_COLUMNS = ["estimate", "mean", "sd", "t", "p", "p_boot", "pct_lo", "pct_hi"]


def _links(boot: BootstrapResult) -> dict[str, list[str]]:
    """Successors of every construct that has outgoing paths, in the model's order."""
    out: dict[str, list[str]] = {}
    for src, dst in zip(boot.paths["from"], boot.paths["to"], strict=True):
        out.setdefault(src, []).append(dst)
    return out


def _constructs(boot: BootstrapResult) -> list[str]:
    return list(dict.fromkeys([*boot.paths["from"], *boot.paths["to"]]))


def check_chain(boot: BootstrapResult, chain: Sequence[str]) -> list[str]:
    """Return ``chain`` as a list if every construct exists and every link is a path of the
    structure; otherwise raise :class:`ModelSpecificationError` naming the missing link and the
    paths that do exist."""
    chain = [str(c) for c in chain]
    names = _constructs(boot)
    unknown = [c for c in chain if c not in names]
    if unknown:
        raise ModelSpecificationError(
            f"construct(s) {unknown} are not in the structural model; constructs: {names}")
    if len(set(chain)) != len(chain):
        raise ModelSpecificationError(f"the chain {' -> '.join(chain)} visits a construct twice")
    if len(chain) < 2:
        raise ModelSpecificationError("a chain needs at least two constructs (from_ and to)")
    links = _links(boot)
    for a, b in zip(chain[:-1], chain[1:], strict=True):
        if b not in links.get(a, []):
            have = links.get(a, [])
            where = (f"paths from {a!r} go to {have}" if have
                     else f"{a!r} has no outgoing paths")
            raise ModelSpecificationError(
                f"the indirect path {' -> '.join(chain)} does not exist: there is no path "
                f"{a} -> {b} in the structure ({where}).")
    return chain


def chains(boot: BootstrapResult, from_: str, to: str, min_links: int = 2) -> list[list[str]]:
    """Every directed chain from ``from_`` to ``to`` with at least ``min_links`` paths, in the
    order a depth-first walk along the model's paths meets them."""
    names = _constructs(boot)
    for c in (from_, to):
        if c not in names:
            raise ModelSpecificationError(
                f"construct {c!r} is not in the structural model; constructs: {names}")
    if from_ == to:
        raise ModelSpecificationError(f"from_ and to are both {from_!r}; a chain needs two "
                                      "different constructs")
    links = _links(boot)
    found: list[list[str]] = []

    def walk(route: list[str]) -> None:
        for nxt in links.get(route[-1], []):
            if nxt == to:
                if len(route) >= min_links:
                    found.append(route + [nxt])
            elif nxt not in route:
                walk(route + [nxt])

    walk([from_])
    return found


def _chain_draws(boot: BootstrapResult, chain: list[str]) -> tuple[float, np.ndarray]:
    """The estimate and the draws (successful resamples only) of the product along ``chain``."""
    estimate = 1.0
    draws = np.ones(int((~boot.failed).sum()))
    table = boot.draws["paths"].to_numpy()[~boot.failed]
    labels = list(boot.draws["paths"].columns)
    for a, b in zip(chain[:-1], chain[1:], strict=True):
        label = f"{a} -> {b}"
        estimate *= float(boot.paths.loc[label, "estimate"])
        draws = draws * table[:, labels.index(label)]
    return estimate, draws


def _summary_rows(boot: BootstrapResult, routes: list[list[str]], alpha: float) -> pd.DataFrame:
    rows = []
    for chain in routes:
        est, draws = _chain_draws(boot, chain)
        summ = summarise_draws(np.array([est]), draws[:, None], None, alpha)
        rows.append({"path": " -> ".join(chain), "from": chain[0], "to": chain[-1],
                     "through": " -> ".join(chain[1:-1]), "links": len(chain) - 1,
                     **{k: float(summ[k][0]) for k in EFFECT_COLUMNS}})
    columns = ["path", "from", "to", "through", "links", *EFFECT_COLUMNS]
    return pd.DataFrame(rows, columns=columns).set_index("path")


def specific_effect_significance(boot: BootstrapResult, from_: str, to: str,
                                 through: Sequence[str] = (), alpha: float | None = None
                                 ) -> pd.DataFrame:
    """The effect along ``from_ -> through[0] -> ... -> to`` (seminr's function of this name):
    one row with estimate, bootstrap mean, SD, t, p, p_boot and the percentile interval at
    ``alpha`` (default: the bootstrap's).  ``through=()`` gives the direct path."""
    alpha = boot.settings.get("alpha", 0.05) if alpha is None else alpha
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    if isinstance(through, str):
        through = [through]
    chain = check_chain(boot, [from_, *through, to])
    return _summary_rows(boot, [chain], alpha)


def specific_indirect_effects(boot: BootstrapResult, from_: str | None = None,
                              to: str | None = None, alpha: float | None = None
                              ) -> pd.DataFrame:
    """Every specific indirect effect (chains of two or more paths) of the model, or only those
    from ``from_`` and/or to ``to``, one row each (columns as
    :func:`specific_effect_significance`)."""
    alpha = boot.settings.get("alpha", 0.05) if alpha is None else alpha
    names = _constructs(boot)
    for c in (from_, to):
        if c is not None and c not in names:
            raise ModelSpecificationError(
                f"construct {c!r} is not in the structural model; constructs: {names}")
    sources = [from_] if from_ is not None else names
    targets = [to] if to is not None else names
    routes = [ch for s in sources for t in targets if s != t for ch in chains(boot, s, t)]
    return _summary_rows(boot, routes, alpha)


def mediation_table(boot: BootstrapResult, from_: str | None = None, to: str | None = None,
                    alpha: float | None = None) -> pd.DataFrame:
    """Specific indirect effects with, after those of each pair (X, Y), the bootstrap's total
    indirect effect of X on Y (``kind = "total indirect"``) and the direct path X -> Y where there
    is one (``kind = "direct"``).  ``sum_specific`` on the total row is the sum of the pair's
    specific estimates (equal to the total indirect estimate up to rounding)."""
    specific = specific_indirect_effects(boot, from_, to, alpha).assign(kind="specific indirect")
    if specific.empty:
        return specific.assign(sum_specific=pd.Series(dtype=float))
    total = boot.indirect_effects
    direct = boot.paths
    parts = []
    for (src, dst), block in specific.groupby(["from", "to"], sort=False):
        label = f"{src} -> {dst}"
        parts.append(block)
        extra = []
        if label in total.index:
            row = total.loc[[label], ["from", "to", *EFFECT_COLUMNS]].assign(
                through="(all)", links=np.nan, kind="total indirect",
                sum_specific=block["estimate"].sum())
            extra.append(row.rename(index={label: f"{label} (total indirect)"}))
        if label in direct.index:
            row = direct.loc[[label], ["from", "to", *EFFECT_COLUMNS]].assign(
                through="", links=1, kind="direct")
            extra.append(row.rename(index={label: f"{label} (direct)"}))
        parts.extend(extra)
    out = pd.concat(parts)
    out.index.name = "path"
    cols = ["kind", "from", "to", "through", "links", *EFFECT_COLUMNS, "sum_specific"]
    return out.reindex(columns=cols)
