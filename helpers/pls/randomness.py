"""Where the engine's resamplings get their random numbers, stated with every result.

Every resampling method (bootstrap, permutations, exact-fit test, CVPAT, MICOM, copula, NCA)
takes either a ``seed`` or a ``numpy.random.Generator``; the settings of its result say which.
"""

from __future__ import annotations

import numpy as np


def fresh_seed() -> int:
    """A seed drawn from the operating system's entropy, so that it can be reported and reused."""
    return int(np.random.SeedSequence().generate_state(1)[0])


def random_source(rng: np.random.Generator | None, seed: int | None
                  ) -> tuple[np.random.Generator, str]:
    """The generator to draw from and the sentence the result's settings print about it.

    A generator passed in is used as it is; otherwise ``default_rng(seed)``, with a fresh seed
    (see :func:`fresh_seed`) when none is given.
    """
    if rng is not None:
        return rng, "numpy Generator passed in"
    if seed is None:
        seed = fresh_seed()
    return np.random.default_rng(seed), f"numpy default_rng(seed={seed})"
