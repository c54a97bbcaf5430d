"""The engine's resamplings say where their random numbers come from (helpers.pls.randomness)."""

import numpy as np

from helpers.pls.randomness import fresh_seed, random_source


def test_a_seed_gives_the_same_draws_and_says_so():
    rng, source = random_source(None, 7)
    assert source == "numpy default_rng(seed=7)"
    assert np.array_equal(rng.integers(0, 100, 5), np.random.default_rng(7).integers(0, 100, 5))


def test_a_generator_passed_in_is_used_as_it_is():
    given = np.random.default_rng(3)
    rng, source = random_source(given, None)
    assert rng is given and source == "numpy Generator passed in"


def test_no_seed_draws_one_that_is_reported_and_reusable():
    rng, source = random_source(None, None)
    seed = int(source.removeprefix("numpy default_rng(seed=").removesuffix(")"))
    assert np.array_equal(rng.random(3), np.random.default_rng(seed).random(3))
    assert fresh_seed() != fresh_seed()
