"""Notebook parameters: declared in one cell, validated before any work.

Every notebook has one cell tagged ``parameters`` holding plain literals (``city = "Astana"``).
The next cell calls :func:`setup`, which

* refuses a parameter the notebook does not declare (papermill only warns about those),
* resolves ``city`` through the region register (English, Kazakh or Russian, any case),
* checks ``lang``, ``seed``, ``n_boot`` and the other known parameters,
* and shows what was resolved.

The same checks serve the runner (:func:`check_values`), which refuses bad options before it
starts a single kernel.
"""

from __future__ import annotations

import ast
import gc
from collections.abc import Callable, Mapping
from typing import Any

from helpers.registers import i18n, paths
from helpers.registers.i18n import ProgramOutput, current, say
from helpers.registers.labels import LANGUAGES, label, language_name
from helpers.registers.paths import DATA
from helpers.registers.regions import resolve_region
from helpers.registers.spelling import fold, nfc
from helpers.run import translate
from helpers.run.declared import ParameterError, assignments, declared_parameters  # noqa: F401
from helpers.run.results import Context

MAX_RESAMPLES = 100_000
PAPERMILL_MARKER = "# Parameters"


def _positive_int(name: str, upper: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= upper:
            raise ParameterError(f"{name} must be a whole number from 1 to {upper:,}, "
                                 f"got {value!r}.")
        return value
    return check


def _seed(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParameterError(f"seed must be a whole number ≥ 0, got {value!r}.")
    return value


def _lang(value: Any) -> str:
    """A language code of :data:`LANGUAGES`, typed in any case and spacing (``KK``, `` ru``), or
    the language's own name (``Қазақша``, ``English``); returned as the code."""
    if value in LANGUAGES:
        return value
    if isinstance(value, str):
        names = {fold(k): k for k in LANGUAGES}
        for k in LANGUAGES:  # "Kazakh (қазақша)": the whole, and each of the two names
            whole = language_name(k)
            names |= {fold(part): k for part in (whole, *whole.replace(")", "").split("("))
                      if fold(part)}
        if fold(value) in names:
            return names[fold(value)]
    choices = ", ".join(f"{k} ({language_name(k)})" for k in LANGUAGES)
    shown = nfc(value) if isinstance(value, str) else value
    raise ParameterError(f"Unknown language {shown!r}. Valid choices: {choices}.")


def _city(value: Any):
    try:
        region = resolve_region(value)
    except ValueError as error:
        raise ParameterError(str(error)) from None
    if region.type not in ("city", "region"):
        raise ParameterError(f"{value!r} is {region.name_en}, not one of the 20 regions; "
                             "per-city notebooks need a region or a city.")
    return region


def _cities(value: Any) -> list:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise ParameterError(f"cities must be a non-empty list of names, got {value!r}.")
    return [_city(v) for v in value]


def _source(value: Any) -> str:
    if value == "synthetic":
        return value
    if isinstance(value, str):
        try:
            slug = _city(value).slug
        except ParameterError as error:
            raise ParameterError(f"source must be 'synthetic' or a city with survey responses in "
                                 f"data/survey/: {error}") from None
        responses = DATA / "survey" / f"{slug}.csv"
        if not responses.exists() and not responses.with_suffix(".xlsx").exists():
            raise ParameterError(f"source {value!r}: no survey responses at {responses}. Field "
                                 "the instrument (data/survey/instrument.csv) and save the "
                                 "answers there as data/survey/README.md describes, or use "
                                 "source='synthetic'.")
        return slug
    raise ParameterError(f"source must be 'synthetic' or a city name, got {value!r}.")


CHECKS: dict[str, Callable[[Any], Any]] = {
    "city": _city,
    "cities": _cities,
    "lang": _lang,
    "seed": _seed,
    "n_boot": _positive_int("n_boot", MAX_RESAMPLES),
    "n_sim": _positive_int("n_sim", MAX_RESAMPLES),
    "n_specs": _positive_int("n_specs", MAX_RESAMPLES),
    "n_perm": _positive_int("n_perm", MAX_RESAMPLES),
    "n_respondents": _positive_int("n_respondents", 1_000_000),
    "source": _source,
}
"""Every parameter any notebook may declare, with its check."""


def check_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate known parameter values; return them resolved (``city`` becomes a Region)."""
    unknown = sorted(set(values) - set(CHECKS))
    if unknown:
        raise ParameterError(f"Unknown parameter(s) {unknown}. Known: {sorted(CHECKS)}.")
    return {name: CHECKS[name](value) for name, value in values.items()}


def injected_names(namespace: Mapping[str, Any]) -> list[str]:
    """Names papermill injected into this kernel (its cell starts with ``# Parameters``)."""
    names: list[str] = []
    for source in namespace.get("In", []) or []:
        if isinstance(source, str) and source.lstrip().startswith(PAPERMILL_MARKER):
            tree = ast.parse(source)
            names += [t.id for node in tree.body if isinstance(node, ast.Assign)
                      for t in node.targets if isinstance(t, ast.Name)]
    return names


def setup(namespace: Mapping[str, Any], notebook: str, show: bool = True) -> Context:
    """Validate the notebook's parameters and return its :class:`Context`.

    ``namespace`` is the notebook's ``globals()``; ``notebook`` its file name without suffix.

    It also moves every object alive at this point (the modules the notebook imported) out of the
    garbage collector's reach (:func:`gc.freeze`): they live as long as the kernel, and without
    it each full collection during the notebook's work walks them again, a good share of a
    short notebook's time. Objects made later are collected as usual.
    """
    gc.freeze()  # the imports so far live as long as the kernel: the collector skips them
    declared = declared_parameters(notebook)
    stray = [n for n in injected_names(namespace) if n not in declared]
    if stray:
        raise ParameterError(f"{notebook} does not take parameter(s) {stray}. Its parameters are: "
                             f"{', '.join(declared)}.")
    values = {name: namespace.get(name, default) for name, default in declared.items()}
    resolved = check_values(values)

    lang = resolved.get("lang", "en")
    i18n.require(lang)  # a missing translation stops the run here, naming the key and the file

    translate.require(lang, notebook)  # and so does an untranslated paragraph of this notebook
    i18n.use(lang)
    context = Context(notebook=notebook, parameters=_plain(resolved), region=resolved.get("city"),
                      lang=resolved.get("lang", "en"), seed=resolved.get("seed"),
                      n_boot=resolved.get("n_boot"))
    if show:
        _show(context, resolved)
    return context


def _plain(resolved: Mapping[str, Any]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, list):
            return [plain(v) for v in value]
        return getattr(value, "slug", value)
    return {name: plain(value) for name, value in resolved.items()}


def _show(context: Context, resolved: Mapping[str, Any]) -> None:
    # deferred: pandas loads only when this function runs (kernel start-up time)
    import pandas as pd

    # deferred: IPython loads only when this function runs (kernel start-up time)
    from IPython.display import display

    rows = []
    for name, value in resolved.items():
        shown = value
        if name == "city":
            others = ", ".join(n for lang, n in value.names.items() if lang != "en")
            shown = f"{value.name_en} ({others}) → {value.slug}"
        elif name == "cities":
            shown = ", ".join(v.slug for v in value)
        elif name == "lang":
            shown = f"{value}: {language_name(value)}"
        rows.append((name, shown))
    rows.append((label("param_outputs", context.lang),
                 str(context.reports_dir.relative_to(paths.output_root()))))
    display(pd.DataFrame(rows, columns=[label("param_parameter", context.lang),
                                        label("param_resolved", context.lang)])
            .set_index(label("param_parameter", context.lang)).pipe(ProgramOutput))
    if context.region is not None and context.region.type == "region":
        lang = current()
        note = (context.region.statistics_note if lang == "en" else
                say("site.region_note", lang, region=context.region.name(lang)))
        print(say("params.region_note", lang, note=note))
