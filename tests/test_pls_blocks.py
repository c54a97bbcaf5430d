"""The engine's speed-ups change no number: each blocked or re-laid-out computation equals, bit
for bit (``np.array_equal``, not a tolerance), the whole-stack form it replaced, written out here
from its formula.  (Agreement with seminr's results is checked in the other test_pls_* files.)"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers.pls import estimate_pls
from helpers.pls.bootstrap import resample_counts
from helpers.pls.engine import STACK_BLOCK, htmt_batch, run_pls, weighted_correlations
from helpers.pls.fit import distances, resample_distances
from helpers.pls.implied import STRUCTURES, implied_indicator_cor
from tests.pls_fixtures import ecsi_model, mobi

N_STACK = 2 * STACK_BLOCK + 37  # three blocks, the last one partial


def _counts(n: int, b: int = N_STACK, seed: int = 17) -> np.ndarray:
    return resample_counts(np.random.default_rng(seed).integers(0, n, size=(b, n)), n)


def _whole_stack_correlations(x: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Resampled correlation matrices of complete data, the whole stack at once: n-weighted
    sums of the upper triangle's cross-products, centred, scaled by the SDs, mirrored."""
    p = x.shape[1]
    iu = np.triu_indices(p)
    tot = counts.sum(axis=1)
    s1 = counts @ x
    cov = counts @ (x[:, iu[0]] * x[:, iu[1]])
    cov -= s1[:, iu[0]] * (s1 / tot[:, None])[:, iu[1]]
    diag = np.flatnonzero(iu[0] == iu[1])
    inv_sd = 1.0 / np.sqrt(cov[:, diag])
    cov *= inv_sd[:, iu[0]]
    cov *= inv_sd[:, iu[1]]
    cov[:, diag] = 1.0
    out = np.empty((counts.shape[0], p, p))
    out[:, iu[0], iu[1]] = cov
    out[:, iu[1], iu[0]] = cov
    return out


@pytest.fixture(scope="module")
def fit():
    return estimate_pls(mobi(), ecsi_model())


def test_blocked_correlations_equal_the_whole_stack(fit):
    z = (fit.raw - fit.mean) / fit.sd
    counts = _counts(z.shape[0])
    blocked = weighted_correlations(z, counts)
    assert np.array_equal(blocked, _whole_stack_correlations(z, counts))
    # a resample where an indicator is constant gives a NaN matrix, in its block only
    counts[STACK_BLOCK + 3] = 0.0
    counts[STACK_BLOCK + 3, :5] = 50.0
    z_const = z.copy()
    z_const[:5, 0] = z_const[0, 0]
    r = weighted_correlations(z_const, counts)
    assert np.isnan(r[STACK_BLOCK + 3]).all()
    assert np.isfinite(np.delete(r, STACK_BLOCK + 3, axis=0)).all()


def test_blocked_htmt_equals_the_whole_stack(fit):
    z = (fit.raw - fit.mean) / fit.sd
    r = weighted_correlations(z, _counts(z.shape[0]))
    m = fit.layout.membership
    s = m.T @ (np.abs(r) @ m)
    k = m.sum(axis=0)
    diag = np.diagonal(s, axis1=1, axis2=2)
    with np.errstate(invalid="ignore", divide="ignore"):  # single items: 0 / 0, replaced by 1
        mono = np.where(k > 1, (diag - k) / (k * (k - 1)), 1.0)
    whole = s / np.outer(k, k) / np.sqrt(mono[:, :, None] * mono[:, None, :])
    upper = np.triu(np.ones((len(k), len(k)), dtype=bool), 1)
    assert np.array_equal(htmt_batch(r, fit.layout), np.where(upper, whole, np.nan),
                          equal_nan=True)


@pytest.mark.parametrize("structure", STRUCTURES)
def test_blocked_fit_distances_equal_the_whole_stack(fit, structure):
    z = (fit.raw - fit.mean) / fit.sd
    r = weighted_correlations(z, _counts(z.shape[0]))
    est = run_pls(r, fit.layout)
    whole = distances(r, implied_indicator_cor(r, est, fit.layout, structure))
    blocked = resample_distances(r, est, fit.layout, structure)
    for criterion, values in whole.items():
        assert np.array_equal(blocked[criterion], values, equal_nan=True), criterion
    assert np.isfinite(whole["d_G"]).all()  # every resample reached the eigenvalues


@pytest.mark.parametrize("b", [7, 40, 5000])
def test_quantiles_from_tails_equal_full_sort(b):
    """Percentile and BCa bounds read from columns sorted only in their tails equal those read
    from fully sorted columns (ties included; small B sorts whole columns)."""
    from helpers.pls.bootstrap import _quantiles, _sorted_where_read

    rng = np.random.default_rng(b)
    draws = np.round(rng.standard_normal((b, 30)), 2)  # rounding makes ties
    bca = [rng.uniform(0.005, 0.1, 30), rng.uniform(0.9, 0.995, 30)]
    bca[0][3] = np.nan  # an undefined BCa bound stays undefined
    probabilities = [0.025, 0.975, *bca]
    partly = _sorted_where_read(draws, probabilities)
    full = np.sort(draws, axis=0)
    for q in probabilities:
        assert np.array_equal(_quantiles(partly, q), _quantiles(full, q), equal_nan=True)
    assert not np.array_equal(partly, full) or b < 50  # large B: the middle stays unsorted


def _fields(est) -> dict[str, np.ndarray]:
    return {k: v for k, v in vars(est).items() if isinstance(v, np.ndarray)}


@pytest.mark.parametrize("case", ["path", "factorial", "centroid", "mode_b", "plsc"])
def test_iterations_in_blocks_equal_the_whole_stack(fit, monkeypatch, case):
    """run_pls's passes run block by block (engine.PASS_BLOCK); every estimate equals, bit for
    bit, the one-block run of the whole stack -- also where the stack shrinks below the size at
    which the inner regressions switch from elimination to LAPACK (``max_iter`` small enough
    that some resamples stop unconverged)."""
    from helpers.pls import engine
    from helpers.pls.engine import Layout

    model = {"mode_b": ecsi_model(mode={"Image": "B", "Loyalty": "B"}),
             "plsc": ecsi_model(reflective=True)}.get(case, ecsi_model())
    layout = Layout.from_model(model)
    scheme = case if case in ("factorial", "centroid") else "path"
    z = (fit.raw - fit.mean) / fit.sd
    r = weighted_correlations(z, _counts(z.shape[0]))
    monkeypatch.setattr(engine, "PASS_BLOCK", 10**9)
    whole = [run_pls(r, layout, scheme), run_pls(r, layout, scheme, max_iter=6)]
    monkeypatch.setattr(engine, "PASS_BLOCK", 100)
    assert len(engine._blocks(r.shape[0])) == 6
    blocked = [run_pls(r, layout, scheme), run_pls(r, layout, scheme, max_iter=6)]
    for one, other in zip(whole, blocked, strict=True):
        for name, value in _fields(one).items():
            assert np.array_equal(value, _fields(other)[name], equal_nan=True), name
    # the last passes ran on fewer than _FEW resamples (LAPACK's loop), the capped run stopped
    # resamples unconverged
    last = whole[0].iterations == whole[0].iterations.max()
    assert 0 < last.sum() < engine._FEW and whole[0].converged.all()
    assert not whole[1].converged.all()


@pytest.mark.parametrize("case", ["path", "mode_b", "plsc"])
def test_iterations_compacting_the_callers_stack_equal_a_copy(fit, case):
    """run_pls(overwrite_r=True), as the bootstrap calls it, compacts the resamples still
    iterating within the caller's stack instead of a copy: every estimate is the same bits
    (several compactions: max_iter 300 and capped runs); the stack is left alone for PLSc."""
    from helpers.pls.engine import Layout

    model = {"mode_b": ecsi_model(mode={"Image": "B", "Loyalty": "B"}),
             "plsc": ecsi_model(reflective=True)}.get(case, ecsi_model())
    layout = Layout.from_model(model)
    z = (fit.raw - fit.mean) / fit.sd
    r = weighted_correlations(z, _counts(z.shape[0], b=3 * N_STACK))
    stops = []
    for max_iter in (300, 9):
        kept = r.copy()
        one = run_pls(kept, layout, max_iter=max_iter)
        assert np.array_equal(kept, r)  # without overwrite_r the stack is read only
        other = run_pls(kept, layout, max_iter=max_iter, overwrite_r=True)
        for name, value in _fields(one).items():
            assert np.array_equal(value, _fields(other)[name], equal_nan=True), name
        assert np.array_equal(kept, r) == (case == "plsc")  # overwritten where allowed
        stops.append(len(np.unique(one.iterations)))
    assert stops[0] > 3 and stops[1] >= 3  # resamples stopped at several passes


@pytest.mark.parametrize("p", [1, 2, 3, 24])
def test_correlations_written_over_their_own_sums_equal_the_whole_stack(fit, p):
    """weighted_correlations keeps the triangles' sums in the tail of its result; for any
    number of columns (the tail's start and the blocks that overlap it move with p) the
    matrices equal the whole-stack formula."""
    z = ((fit.raw - fit.mean) / fit.sd)[:, :p]
    counts = _counts(z.shape[0])
    assert np.array_equal(weighted_correlations(z, counts), _whole_stack_correlations(z, counts))


def _whole_stack_mean_filled(x: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Resampled correlation matrices of data with missing cells, each filled with its column's
    mean in the resample: the sums of the filled data from the sums of the data with 0 in the
    gaps (S(X0 X0), S(X0 U), S(U U)), the whole stack at once."""
    n, p = x.shape
    observed = ~np.isnan(x)
    x0, u = np.where(observed, x, 0.0), (~observed).astype(float)
    iu = np.triu_indices(p)
    tot = counts.sum(axis=1)
    s1 = counts @ x0
    s2 = np.empty((counts.shape[0], p, p))
    tri = counts @ (x0[:, iu[0]] * x0[:, iu[1]])
    s2[:, iu[0], iu[1]] = tri
    s2[:, iu[1], iu[0]] = tri
    n_obs = counts @ observed.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = s1 / n_obs
    s_xu = (counts @ (x0[:, :, None] * u[:, None, :]).reshape(n, p * p)).reshape(-1, p, p)
    s_uu = (counts @ (u[:, :, None] * u[:, None, :]).reshape(n, p * p)).reshape(-1, p, p)
    s2 += (mu[:, None, :] * s_xu + mu[:, :, None] * s_xu.transpose(0, 2, 1)
           + mu[:, :, None] * mu[:, None, :] * s_uu)
    s1 = s1 + mu * (tot[:, None] - n_obs)
    with np.errstate(invalid="ignore", divide="ignore"):
        s2 -= s1[:, :, None] * (s1 / tot[:, None])[:, None, :]
        var = np.diagonal(s2, axis1=1, axis2=2).copy()
        inv_sd = 1.0 / np.sqrt(var)
        s2 *= inv_sd[:, :, None]
        s2 *= inv_sd[:, None, :]
        varying = (var / tot[:, None]) > 1e-10
    s2[:, np.arange(p), np.arange(p)] = 1.0
    s2[~varying.all(axis=1)] = np.nan
    return s2


@pytest.mark.parametrize("step_cells", [2**17, 576, 3 * 576 + 1])
def test_blocked_mean_filled_correlations_equal_the_whole_stack(fit, monkeypatch, step_cells):
    """On the ECSI data the blocked gap sums are the whole stack's bits; on some other shapes
    OpenBLAS rounds a block's product differently in the last place (weighted_correlations says
    so): then this test would fail for that reason, not for a wrong formula.  The element-wise
    steps take a few resamples at a time (engine._STEP_CELLS: here 227, 1 and 3 of the 24 x 24
    matrices), which changes no bit."""
    from helpers.pls import engine

    monkeypatch.setattr(engine, "_STEP_CELLS", step_cells)
    z = (fit.raw - fit.mean) / fit.sd
    z[[3, 40, 41], 2] = np.nan  # gaps in two columns, one of them in three rows
    z[[7, 99], 15] = np.nan
    counts = _counts(z.shape[0])
    assert np.array_equal(weighted_correlations(z, counts),
                          _whole_stack_mean_filled(z, counts), equal_nan=True)
    # a resample that draws only a gap's rows leaves the column without a value: NaN there only
    counts[STACK_BLOCK + 5] = 0.0
    counts[STACK_BLOCK + 5, [3, 40, 41]] = 1.0
    r = weighted_correlations(z, counts)
    assert np.array_equal(r, _whole_stack_mean_filled(z, counts), equal_nan=True)
    assert np.isnan(r[STACK_BLOCK + 5]).all()


def test_bootstrap_parameters_select_the_cells_the_fit_tables_show():
    """bootstrap._parameters selects total and indirect effects from the estimate arrays: the
    same cells, in the same order, as the nonzero cells of fit.total_effects and of
    fit.indirect_effects (beyond 1e-15) -- for a plain, a PLSc, a moderated and a
    higher-order fit; _extract takes those cells of each resample."""
    from helpers.pls import Model, composite, higher_composite, interaction, multi_items, paths
    from helpers.pls import relationships as rel
    from helpers.pls.bootstrap import _extract, _parameters
    from tests.pls_fixtures import ECSI_STRUCTURE

    data = mobi()
    moderated = Model(list(ecsi_model().constructs) + [interaction("Image", "Expectation")],
                      list(ECSI_STRUCTURE) + paths("Image*Expectation", "Satisfaction"))
    blocks = [("Image", "IMAG", 5), ("Expectation", "CUEX", 3), ("Quality", "PERQ", 7),
              ("Value", "PERV", 2), ("Satisfaction", "CUSA", 3)]
    higher = Model([composite(n, multi_items(p, range(1, k + 1))) for n, p, k in blocks]
                   + [higher_composite("Evaluation", ["Quality", "Value"])],
                   rel(paths("Image", ["Expectation", "Satisfaction"]),
                       paths("Expectation", "Evaluation"), paths("Evaluation", "Satisfaction")))
    def cells(mat, names):
        nz = np.abs(mat.loc[names, names].to_numpy()) > 0
        return [(f"{a} -> {b}", a, b, (i, j)) for i, a in enumerate(names)
                for j, b in enumerate(names) if nz[i, j]]

    for model in (ecsi_model(), ecsi_model(reflective=True), moderated, higher):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the PLSc fit's admissibility warning
            fit = estimate_pls(data, model)
        names = list(fit.layout.constructs)
        params = _parameters(fit)
        ind = fit.indirect_effects
        assert params["total_effects"] == cells(fit.total_effects, names)
        assert params["indirect_effects"] == cells(ind.where(ind.abs() > 1e-15, 0.0), names)
        assert params["indirect_effects"]  # the models have indirect effects
        # the draws taken from the flattened arrays are the cells a fancy index selects
        est = fit.estimates
        stack = {"paths": est.paths, "total_effects": est.total, "weights": est.weights,
                 "indirect_effects": est.total - est.paths, "loadings": est.loadings,
                 "r_squared": est.r_squared, "htmt": fit.htmt.to_numpy()[None]}
        drawn = _extract(est, stack["htmt"], params)
        for table, rows in params.items():
            index = tuple(np.array(axis) for axis in zip(*(ix for *_, ix in rows), strict=True))
            assert np.array_equal(drawn[table], stack[table][(slice(None), *index)]), table


def _hard_columns(b: int, seed: int) -> np.ndarray:
    """Columns a threshold selection can get wrong: ties, signed zeros, heavy and one-sided
    tails, a constant column, a column with a few extreme values, a sorted one."""
    rng = np.random.default_rng(seed)
    cols = [rng.standard_normal(b), np.round(rng.standard_normal(b), 1),
            rng.standard_cauchy(b), rng.exponential(size=b), -rng.exponential(size=b),
            np.full(b, 0.7), rng.choice([-0.0, 0.0, 1.0], b), np.sort(rng.standard_normal(b)),
            np.where(rng.random(b) < 0.01, 1e6, rng.standard_normal(b)),
            np.where(rng.random(b) < 0.03, -5.0, rng.uniform(size=b))]
    return np.column_stack(cols)


@pytest.mark.parametrize("b", [1000, 5000, 12_345])
def test_tails_selected_by_thresholds_equal_a_full_sort(b):
    """The order statistics read by the percentile and BCa bounds, selected by thresholds from
    a sample of each column (bootstrap._select_tails), are those of a full sort at every position
    read, whatever the column's shape; the bounds are the same bits."""
    from helpers.pls.bootstrap import _positions, _quantiles, _select_tails, _sorted_where_read

    draws = _hard_columns(b, b)
    k = draws.shape[1]
    rng = np.random.default_rng(b + 1)
    bca = [rng.uniform(0.002, 0.08, k), rng.uniform(0.93, 0.999, k)]
    bca[1][4] = np.nan
    probabilities = [0.025, 0.975, *bca]
    partly = _sorted_where_read(draws, probabilities)
    full = np.sort(draws, axis=0)
    for q in probabilities:
        q = np.broadcast_to(q, (k,))
        ok = np.isfinite(q)
        _, lo, hi = _positions(b, q[ok])
        cols = np.flatnonzero(ok)
        for pos in (lo, hi):
            assert np.array_equal(partly[pos, cols], full[pos, cols])  # -0.0 == 0.0 here,
        # and in a bound: between -0.0 and 0.0 in either order it is +0.0
        assert np.array_equal(_quantiles(partly, q), _quantiles(full, q), equal_nan=True)
        assert not np.signbit(_quantiles(partly, q)[6]).any()
    # the thresholds do the work for the ordinary columns, a partition for the constant one
    left = _select_tails(np.ascontiguousarray(draws.T), np.full(k, 130), np.full(k, 140))
    assert not left[[0, 1, 3, 4]].any() and left[5]


@pytest.mark.parametrize("k", [1, 3])
def test_summaries_leave_the_draws_in_their_order(k):
    """summarise_draws partly sorts a copy of the draws; the caller's array (the stored draws,
    passed without a copy when no resample failed) keeps its order, one column included."""
    from helpers.pls.bootstrap import summarise_draws

    draws = np.random.default_rng(k).standard_normal((5000, k))
    before = draws.copy()
    summarise_draws(np.zeros(k), draws, None, 0.05)
    summarise_draws(np.zeros(1), draws[:, 0][:, None], None, 0.05)
    assert np.array_equal(draws, before)


@pytest.mark.parametrize("seed", [0, 2023])
def test_drawn_rows_and_counts_do_not_depend_on_the_index_type(seed):
    """bootstrap draws its row numbers as 32-bit integers (bootstrap.index_dtype): numpy's bounded
    generator gives the same rows as 64-bit ones and leaves the generator in the same state (a
    later draw, e.g. a replacement resample, is the same too); the counts are the same."""
    from helpers.pls.bootstrap import index_dtype

    for n in [*range(1, 40), 100, 127, 128, 129, 250, 255, 256, 257, 1000, 4097, 65537]:
        narrow, wide = np.random.default_rng(seed), np.random.default_rng(seed)
        assert index_dtype(n) == np.int32
        rows = narrow.integers(0, n, size=(7, n), dtype=index_dtype(n))
        rows_wide = wide.integers(0, n, size=(7, n))
        assert rows.dtype == np.int32 and rows_wide.dtype == np.int64
        assert np.array_equal(rows, rows_wide)
        assert narrow.bit_generator.state == wide.bit_generator.state
        assert narrow.integers(0, 2**40) == wide.integers(0, 2**40)
    big = np.random.default_rng(seed).integers(0, 250, size=(2 * N_STACK, 250))
    counts = resample_counts(big.astype(np.int32), 250)
    assert np.array_equal(counts, resample_counts(big, 250))
    assert np.array_equal(counts, np.stack([np.bincount(r, minlength=250) for r in big]))
    assert index_dtype(2**31 // 512) == np.int64  # offsets of a block would not fit 32 bits


def _whole_stack_weights(r: np.ndarray, layout, max_iter: int = 300, stop: float = 1e-7):
    """The iterations of run_pls written out over the whole stack (path scheme, Mode A): every
    pass forms R W and C for every resample still in the batch, decides which resamples stop
    and whether to compact, and only then runs the inner weighting, choosing elimination or
    LAPACK's loop by the size of the compacted batch.  Returns the final weights (B x p), the
    cross-loadings (B x p x K), the pass counts and the flags of singular inner systems."""
    from helpers.pls.engine import _FEW, _inner_weights

    m = layout.membership
    n_b, (n_p, n_k) = r.shape[0], m.shape
    owner = np.argmax(m, axis=1)
    w, rw_all = np.empty((n_b, n_p)), np.empty((n_b, n_p, n_k))
    iterations, singular = np.zeros(n_b, dtype=int), np.zeros(n_b, dtype=bool)
    active, live = np.arange(n_b), np.ones(n_b, dtype=bool)
    w_raw, w_old, r_act, step = np.ones((n_b, n_p)), np.ones((n_b, n_p)), r, 0
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        while active.size:
            rw = r_act @ (w_raw[:, :, None] * m)
            c = (w_raw[:, :, None] * m).transpose(0, 2, 1) @ rw
            s = np.sqrt(np.diagonal(c, axis1=1, axis2=2))
            w_now = w_raw / s[:, owner]
            if step:
                diff = np.abs(w_now - w_old).sum(axis=1)
                iterations[active[live]] = step - 1
                ended = ((diff < stop) | (step - 1 >= max_iter) | ~np.isfinite(diff)) & live
                w[active[ended]] = w_now[ended]
                rw_all[active[ended]] = rw[ended] / s[ended][:, None, :]
                live &= ~ended
                if not live.any():
                    break
                if live.sum() <= 0.75 * active.size:
                    keep = np.flatnonzero(live)
                    active, r_act, rw, c, s, w_now, live = (
                        active[keep], r_act[keep], rw[keep], c[keep], s[keep], w_now[keep],
                        live[keep])
            e_s, bad = _inner_weights(c, s, layout, "path", active.size < _FEW)
            singular[active[bad & live]] = True
            w_raw, w_old = (rw @ e_s).reshape(-1, n_p * n_k)[:, np.arange(n_p) * n_k + owner], (
                w_now if step else w_old)
            step += 1
    return w, rw_all, iterations, singular


@pytest.mark.parametrize(("n_same", "block"), [(20, None), (600, 100), (1990, 256)])
def test_passes_in_blocks_equal_the_whole_stack_passes(fit, monkeypatch, n_same, block):
    """run_pls runs each pass block by block, the inner weighting of a block right after its
    R W and C, before the pass has decided which resamples stop.  Many copies of the sample's
    correlation matrix (they stop together) and a few resamples that need more passes make the
    batch fall below _FEW within one pass, where the whole-stack form switches to LAPACK's loop
    for the rest: the weights, cross-loadings, pass counts and flags are the same bits."""
    from helpers.pls import engine
    from helpers.pls.engine import Layout

    layout = Layout.from_model(ecsi_model())
    z = (fit.raw - fit.mean) / fit.sd
    slow = weighted_correlations(z, _counts(z.shape[0], b=12, seed=3))
    r = np.concatenate([np.repeat(np.corrcoef(z.T)[None], n_same, axis=0), slow])
    if block:
        monkeypatch.setattr(engine, "PASS_BLOCK", block)
    est = run_pls(r, layout)
    w, rw, iterations, singular = _whole_stack_weights(r, layout)
    assert np.array_equal(est.weights.sum(axis=2), w)
    assert np.array_equal(est.cross_loadings, rw)
    assert np.array_equal(est.iterations, iterations)
    assert est.ok.all() and not singular.any()
    # the copies stopped together, the slow resamples passed on below _FEW
    assert (iterations[:n_same] == iterations[0]).all()
    assert iterations[n_same:].max() > iterations[0]


def test_the_bootstraps_correlations_are_freed_before_the_final_quantities(fit, monkeypatch):
    """The bootstrap hands its stack of resampled correlation matrices over to run_pls, which
    compacts it in place and lets it go after the iterations: it is freed before the final
    quantities are computed (the call keeps no reference), so the bootstrap's peak memory is the
    iterations', not the stack's and the results' together."""
    import weakref

    from helpers.pls import bootstrap, bootstrap_model, engine

    stacks, alive = [], []
    correlations, total_effects = bootstrap.weighted_correlations, engine._total_effects

    def recorded(*args, **kwargs):
        out = correlations(*args, **kwargs)
        stacks.append(weakref.ref(out))
        return out

    def final(paths):
        alive.append([ref() is not None for ref in stacks])
        return total_effects(paths)

    monkeypatch.setattr(bootstrap, "weighted_correlations", recorded)
    monkeypatch.setattr(engine, "_total_effects", final)
    bootstrap_model(fit, n_boot=300, seed=1)
    assert len(stacks) == 2  # the resamples' stack and the jackknife's
    assert alive == [[False], [False, False]]
    # without overwrite_r the caller's stack is kept
    kept = correlations((fit.raw - fit.mean) / fit.sd, _counts(fit.raw.shape[0], b=50))
    stacks[:] = [weakref.ref(kept)]
    alive.clear()
    run_pls(kept, fit.layout)
    assert alive == [[True]]
