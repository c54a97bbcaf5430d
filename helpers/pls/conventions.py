"""Reporting conventions where the engine and seminr differ, as named options
(``estimate_pls(..., conventions=...)``; the choice is in ``fit.settings["conventions"]``).

=====================  ====================================  ====================================
option                 ``"engine"`` (default)                 ``"seminr"``
=====================  ====================================  ====================================
``fornell_larcker``    ``"corrected"``: off-diagonal cells    ``"scores"``: correlations of the
                       are the construct correlations the     construct scores (for PLSc the
                       paths come from (PLSc: corrected for   uncorrected ones)
                       attenuation)
``inner_vif``          ``"corrected"``: VIF of each           ``"scores"``: from the correlations
                       predictor from the corrected           of the construct scores
                       construct correlations
``interaction_rho_a``  ``"items"``: rho_A of an interaction   ``"one"``: reported as 1
                       term from its product indicators
=====================  ====================================  ====================================

For models without reflective constructs the two construct-correlation conventions coincide
(the scores' correlations are the ones the paths come from).  ``conventions`` takes a preset
name or a dict of options (missing options from the engine's preset), e.g.
``{"inner_vif": "scores"}``.
"""

from __future__ import annotations

from collections.abc import Mapping

OPTIONS = {
    "fornell_larcker": ("corrected", "scores"),
    "inner_vif": ("corrected", "scores"),
    "interaction_rho_a": ("items", "one"),
}
PRESETS = {
    "engine": {"fornell_larcker": "corrected", "inner_vif": "corrected",
               "interaction_rho_a": "items"},
    "seminr": {"fornell_larcker": "scores", "inner_vif": "scores",
               "interaction_rho_a": "one"},
}


def resolve(conventions: str | Mapping | None) -> dict[str, str]:
    """The full option dict for a preset name, a partial dict, or None (the engine's)."""
    if conventions is None:
        return dict(PRESETS["engine"])
    if isinstance(conventions, str):
        if conventions not in PRESETS:
            raise ValueError(f"conventions {conventions!r} unknown; presets are "
                             f"{sorted(PRESETS)}, or give a dict of {sorted(OPTIONS)}")
        return dict(PRESETS[conventions])
    out = dict(PRESETS["engine"])
    for key, value in dict(conventions).items():
        if key not in OPTIONS:
            raise ValueError(f"convention {key!r} unknown; options are {sorted(OPTIONS)}")
        if value not in OPTIONS[key]:
            raise ValueError(f"convention {key}={value!r} unknown; choose one of {OPTIONS[key]}")
        out[key] = value
    return out


def label(options: Mapping[str, str]) -> str:
    """The preset's name when ``options`` is a preset, else the options themselves."""
    for name, preset in PRESETS.items():
        if dict(options) == preset:
            return name
    return ", ".join(f"{k}={v}" for k, v in options.items())
