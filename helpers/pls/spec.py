"""Model specification for PLS-SEM, in the vocabulary of Hair et al.'s primer, SmartPLS and seminr.

A PLS path model has two parts:

* the **measurement model** (outer model): each construct is a *composite* of its indicators,
  ``Y_c = sum_i w_i x_i``.  The outer weights ``w`` are estimated in

  - **Mode A** (*correlation weights*, the usual choice for reflectively measured constructs):
    ``w_i`` is proportional to the covariance of indicator ``x_i`` with the construct's inner
    proxy;
  - **Mode B** (*regression weights*, for formatively measured constructs): ``w`` are the
    coefficients of the multiple regression of the inner proxy on the block's indicators.

  A *single-item* construct is a composite of one indicator (its weight and loading are 1).

  A **reflective** construct (:func:`reflective`, seminr's ``reflective()``) is estimated with
  Mode A weights like a composite, and then corrected by consistent PLS (PLSc, Dijkstra &
  Henseler 2015; :mod:`helpers.pls.consistent`): its correlations with other constructs, its
  loadings, the paths and R² are disattenuated for measurement error.  It needs at least two
  indicators.

* an **interaction term** (:func:`interaction`, seminr's ``interaction_term()``) is a construct
  generated from two others (the independent variable and the moderator), by the two-stage
  approach (the product of first-stage construct scores), the product-indicator approach
  (products of the standardised items) or the orthogonalising approach (those products
  residualised on the items, Little, Bovaird & Widaman 2006); a **quadratic term**
  (:func:`quadratic`, seminr's ``quadratic_term()``) is the interaction of a construct with
  itself; see :mod:`helpers.pls.moderation`.

* the **structural model** (inner model): directed paths between constructs, which must form a
  directed acyclic graph (PLS-SEM estimates recursive models only).

Build a model in code::

    model = Model(
        constructs=[composite("Image", multi_items("IMAG", range(1, 6))),
                    composite("Tech", ["x1", "x2"], mode="B"),
                    single_item("Complaints", "CUSCO")],
        structure=relationships(paths(from_="Image", to=["Expectation", "Satisfaction"])),
    )

or read it from a small YAML or CSV file with :func:`read_model` (formats documented there).
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FilePath

import yaml

MODES = ("A", "B")
MEASUREMENTS = ("composite", "reflective")
INTERACTION_METHODS = ("two_stage", "product_indicator", "orthogonal")
_MODE_ALIASES = {
    "a": "A",
    "mode_a": "A",
    "correlation": "A",
    "correlation_weights": "A",
    "b": "B",
    "mode_b": "B",
    "regression": "B",
    "regression_weights": "B",
}


class ModelSpecificationError(ValueError):
    """A PLS model specification (or its data) cannot be estimated; the message says why."""


def _normalise_mode(mode: str, construct: str) -> str:
    key = str(mode).strip().lower()
    if key not in _MODE_ALIASES:
        raise ModelSpecificationError(
            f"construct {construct!r}: unknown mode {mode!r}; valid choices are 'A' (correlation "
            "weights, also 'mode_A'/'correlation_weights') or 'B' (regression weights, also "
            "'mode_B'/'regression_weights')."
        )
    return _MODE_ALIASES[key]


@dataclass(frozen=True)
class Construct:
    """One construct of the measurement model: a composite of ``items`` with outer-weight ``mode``.

    ``scale`` optionally records the response scale ``(min, max)`` of all its indicators (for
    example ``(1, 10)``); the importance-performance map uses it to rescale to 0-100.
    ``measurement`` is ``"composite"`` (default) or ``"reflective"`` (corrected by PLSc; Mode A,
    at least two indicators).
    """

    name: str
    items: tuple[str, ...]
    mode: str = "A"
    scale: tuple[float, float] | None = None
    measurement: str = "composite"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ModelSpecificationError(f"a construct needs a non-empty name, got {self.name!r}")
        if isinstance(self.items, str):
            object.__setattr__(self, "items", (self.items,))
        object.__setattr__(self, "items", tuple(str(i) for i in self.items))
        if len(self.items) == 0:
            raise ModelSpecificationError(
                f"construct {self.name!r} has no indicators: give at least one item name."
            )
        repeated = sorted({i for i in self.items if self.items.count(i) > 1})
        if repeated:
            raise ModelSpecificationError(
                f"construct {self.name!r} lists indicator(s) {repeated} more than once."
            )
        object.__setattr__(self, "mode", _normalise_mode(self.mode, self.name))
        if self.scale is not None:
            lo, hi = (float(v) for v in self.scale)
            if not lo < hi:
                raise ModelSpecificationError(
                    f"construct {self.name!r}: scale must be (min, max) with min < max, "
                    f"got {self.scale!r}"
                )
            object.__setattr__(self, "scale", (lo, hi))
        if self.measurement not in MEASUREMENTS:
            raise ModelSpecificationError(
                f"construct {self.name!r}: measurement {self.measurement!r} unknown; valid "
                f"choices are {MEASUREMENTS}."
            )
        if self.measurement == "reflective":
            if len(self.items) < 2:
                raise ModelSpecificationError(
                    f"construct {self.name!r} is declared reflective with {len(self.items)} "
                    "indicator; PLSc (consistent PLS) needs at least two indicators to estimate "
                    "a reliability. Declare it with single_item() or composite() instead."
                )
            if self.mode != "A":
                raise ModelSpecificationError(
                    f"construct {self.name!r} is declared reflective with Mode {self.mode}; "
                    "PLSc corrects Mode A (correlation-weight) constructs only. Use "
                    "composite(..., mode='B') for a formative construct."
                )

    @property
    def is_single_item(self) -> bool:
        return len(self.items) == 1

    @property
    def is_reflective(self) -> bool:
        return self.measurement == "reflective"

    @property
    def kind(self) -> str:
        """How the construct is measured, as a label: single item, Mode A/B composite,
        reflective."""
        if self.is_single_item:
            return "single item"
        return "reflective (PLSc)" if self.is_reflective else f"Mode {self.mode} composite"


@dataclass(frozen=True)
class Interaction:
    """An interaction term ``iv x moderator`` (seminr's ``interaction_term(iv, moderator)``),
    a construct of the structural model whose indicators are generated from the data.

    ``method``: ``"two_stage"`` (default, as SmartPLS 4 and seminr: one indicator, the product
    of the two constructs' scores from the main-effects model), ``"product_indicator"``
    (every product of the two constructs' standardised indicators, a Mode A composite) or
    ``"orthogonal"`` (those products, each replaced by its residual from the OLS regression on
    the two constructs' indicators).  Its name is ``"<iv>*<moderator>"``; ``iv == moderator``
    is a quadratic term (:func:`quadratic`).
    """

    iv: str
    moderator: str
    method: str = "two_stage"

    def __post_init__(self) -> None:
        for role, value in (("iv", self.iv), ("moderator", self.moderator)):
            if not isinstance(value, str) or not value.strip():
                raise ModelSpecificationError(
                    f"interaction: {role} must be a construct name, got {value!r}")
        if self.method not in INTERACTION_METHODS:
            raise ModelSpecificationError(
                f"interaction {self.name!r}: method {self.method!r} unknown; valid choices are "
                f"{INTERACTION_METHODS}."
            )

    @property
    def name(self) -> str:
        return f"{self.iv}*{self.moderator}"

    @property
    def is_quadratic(self) -> bool:
        return self.iv == self.moderator

    # an interaction term has no measured indicators of its own (they are generated)
    items = ()
    mode = "A"
    scale = None
    measurement = "composite"
    is_single_item = False
    is_reflective = False

    @property
    def kind(self) -> str:
        what = "quadratic term" if self.is_quadratic else "interaction"
        return f"{what} ({self.method.replace('_', '-')})"


def interaction(iv: str, moderator: str, method: str = "two_stage") -> Interaction:
    """The interaction term ``iv x moderator`` as a construct (seminr's ``interaction_term``);
    use its name ``"iv*moderator"`` in :func:`paths`.  ``method``: ``"two_stage"`` (default),
    ``"product_indicator"`` or ``"orthogonal"``."""
    return Interaction(iv, moderator, method)


def quadratic(construct: str, method: str = "two_stage") -> Interaction:
    """The quadratic term ``construct x construct`` (seminr's ``quadratic_term``), named
    ``"<construct>*<construct>"``: a curvilinear effect of the construct.  ``method`` as in
    :func:`interaction` (two-stage by default, as SmartPLS 4 and seminr)."""
    return Interaction(construct, construct, method)


HIGHER_ORDER_METHODS = ("two_stage", "embedded", "repeated_indicators")
_HIGHER_ORDER_ALIASES = {"disjoint": "two_stage", "disjoint_two_stage": "two_stage",
                         "embedded_two_stage": "embedded"}


@dataclass(frozen=True)
class HigherComposite:
    """A higher-order composite (seminr's ``higher_composite(name, dimensions)``): a construct
    formed from lower-order constructs (its ``dimensions``) rather than from indicators.

    ``method`` (see :mod:`helpers.pls.higher_order`): ``"two_stage"`` (the disjoint two-stage
    approach, seminr's ``two_stage``; alias ``"disjoint"``), ``"embedded"`` (the embedded
    two-stage approach) or ``"repeated_indicators"`` (one stage, the dimensions' indicators
    repeated).  ``mode``: the higher-order construct's weights on its dimensions, ``"A"``
    (correlation weights, seminr's default) or ``"B"`` (regression weights)."""

    name: str
    dimensions: tuple[str, ...]
    method: str = "two_stage"
    mode: str = "A"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ModelSpecificationError(f"a construct needs a non-empty name, got {self.name!r}")
        dims = (self.dimensions,) if isinstance(self.dimensions, str) else self.dimensions
        object.__setattr__(self, "dimensions", tuple(str(d) for d in dims))
        method = _HIGHER_ORDER_ALIASES.get(self.method, self.method)
        if method not in HIGHER_ORDER_METHODS:
            raise ModelSpecificationError(
                f"higher-order construct {self.name!r}: method {self.method!r} unknown; valid "
                f"choices are {HIGHER_ORDER_METHODS} (or 'disjoint' for 'two_stage').")
        object.__setattr__(self, "method", method)
        object.__setattr__(self, "mode", _normalise_mode(self.mode, self.name))
        if len(self.dimensions) < 2:
            raise ModelSpecificationError(
                f"higher-order construct {self.name!r} has {len(self.dimensions)} dimension"
                f"{'' if len(self.dimensions) == 1 else 's'} {list(self.dimensions)}: a "
                "higher-order construct combines at least two lower-order constructs, and with "
                "one it is that construct again (its score would be the dimension's score). "
                "What would work: use the dimension itself in the paths, or add the other "
                "dimensions the theory names.")
        twice = sorted({d for d in self.dimensions if self.dimensions.count(d) > 1})
        if twice:
            raise ModelSpecificationError(
                f"higher-order construct {self.name!r} lists dimension(s) {twice} twice.")

    # a higher-order construct has no measured indicators of its own
    items = ()
    scale = None
    measurement = "composite"
    is_single_item = False
    is_reflective = False

    @property
    def kind(self) -> str:
        how = {"two_stage": "disjoint two-stage", "embedded": "embedded two-stage",
               "repeated_indicators": "repeated indicators"}[self.method]
        return f"higher-order composite, Mode {self.mode} ({how})"


def higher_composite(name: str, dimensions: Sequence[str], method: str = "two_stage",
                     mode: str = "A") -> HigherComposite:
    """A higher-order composite of the lower-order constructs ``dimensions`` (seminr's
    ``higher_composite``); ``method``: ``"two_stage"`` (disjoint, default), ``"embedded"`` or
    ``"repeated_indicators"``; ``mode``: ``"A"`` or ``"B"``."""
    return HigherComposite(name, tuple(dimensions), method, mode)


def reflective(name: str, items: Sequence[str], scale: tuple[float, float] | None = None
               ) -> Construct:
    """A reflectively measured construct (seminr's ``reflective()``): Mode A weights corrected
    by consistent PLS (PLSc).  Needs at least two indicators."""
    return Construct(name, tuple(items), "A", scale, "reflective")


def composite(
    name: str, items: Sequence[str], mode: str = "A", scale: tuple[float, float] | None = None
) -> Construct:
    """A composite construct measured by ``items``; ``mode`` is ``"A"`` (correlation weights,
    default) or ``"B"`` (regression weights)."""
    return Construct(name, tuple(items), mode, scale)


def single_item(name: str, item: str, scale: tuple[float, float] | None = None) -> Construct:
    """A construct measured by one indicator (weight = loading = 1; reliability is 1 by
    definition)."""
    return Construct(name, (item,), "A", scale)


def multi_items(prefix: str, numbers: Iterable[int], suffix: str = "") -> list[str]:
    """Item names ``prefix1..prefixN`` as seminr's ``multi_items("IMAG", 1:5)``."""
    return [f"{prefix}{k}{suffix}" for k in numbers]


@dataclass(frozen=True)
class Path:
    """One structural path ``source -> target`` (``source`` predicts ``target``)."""

    source: str
    target: str

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}"


def _as_names(x: str | Sequence[str]) -> list[str]:
    return [x] if isinstance(x, str) else [str(v) for v in x]


def paths(from_: str | Sequence[str], to: str | Sequence[str]) -> list[Path]:
    """Paths from every construct in ``from_`` to every construct in ``to`` (seminr's
    ``paths(from = ..., to = ...)``)."""
    return [Path(s, t) for s in _as_names(from_) for t in _as_names(to)]


def relationships(*groups: Iterable[Path]) -> tuple[Path, ...]:
    """The structural model: all paths of the given ``paths(...)`` groups, in order."""
    return tuple(p for g in groups for p in g)


def _check_higher_order(model: Model) -> None:
    """What a higher-order specification needs (refused with the reason before estimation):
    dimensions that are measured constructs of the model, each of one higher-order construct
    only, without structural paths of their own; no interaction terms beside it; with repeated
    indicators, a Mode B higher-order construct without other antecedents."""
    hocs = model.higher_order
    if not hocs:
        return
    if model.interactions:
        raise ModelSpecificationError(
            "a model with both higher-order constructs and interaction terms is not supported; "
            "estimate the higher-order model, or build the interaction from the dimensions.")
    measured = {c.name: c for c in model.constructs if isinstance(c, Construct)}
    owner: dict[str, str] = {}
    for h in hocs:
        for d in h.dimensions:
            if d not in measured:
                other = [c.name for c in model.constructs if c.name == d]
                why = ("a higher-order construct (third-order models are not supported)"
                       if other and d in {x.name for x in hocs} else
                       "an interaction term" if other else "not a construct of the model")
                near = difflib.get_close_matches(d, list(measured), n=3)
                hint = f" (did you mean {near}?)" if near and not other else ""
                raise ModelSpecificationError(
                    f"higher-order construct {h.name!r}: dimension {d!r} is {why}{hint}; its "
                    f"dimensions must be measured constructs: {sorted(measured)}")
            if d in owner:
                raise ModelSpecificationError(
                    f"construct {d!r} is a dimension of both {owner[d]!r} and {h.name!r}; a "
                    "lower-order construct belongs to one higher-order construct.")
            owner[d] = h.name
    own = sorted({str(p) for p in model.structure if p.source in owner or p.target in owner})
    if own:
        raise ModelSpecificationError(
            f"path(s) {own} connect a dimension of a higher-order construct directly; the "
            "dimensions are tied into the model through their higher-order construct. Draw "
            "the path from or to the higher-order construct instead.")
    for h in hocs:
        preds = [p.source for p in model.structure if p.target == h.name]
        if h.method == "repeated_indicators" and h.mode == "B" and preds:
            raise ModelSpecificationError(
                f"higher-order construct {h.name!r} (Mode B, repeated indicators) has "
                f"antecedent(s) {preds}: with repeated indicators its dimensions explain it "
                "completely (R² = 1), so the antecedents' paths are not identified. What would "
                "work: method='embedded' or 'two_stage' (Becker, Klein & Wetzels 2012).")


def _find_cycle(names: Sequence[str], structure: Sequence[Path]) -> list[str] | None:
    """Return one directed cycle as a list of names (first == last), or None."""
    succ: dict[str, list[str]] = {n: [] for n in names}
    for p in structure:
        succ[p.source].append(p.target)
    state = dict.fromkeys(names, 0)  # 0 new, 1 on stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in succ[node]:
            if state[nxt] == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if state[nxt] == 0:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for n in names:
        if state[n] == 0:
            found = visit(n)
            if found:
                return found
    return None


@dataclass(frozen=True)
class Model:
    """A PLS path model: the measurement model (``constructs``) and the structural model
    (``structure``, from :func:`relationships`).  Validated on creation."""

    constructs: Sequence[Construct]
    structure: Sequence[Path] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "constructs", tuple(self.constructs))
        object.__setattr__(self, "structure", tuple(self.structure))
        for c in self.constructs:
            if not isinstance(c, Construct | Interaction | HigherComposite):
                raise ModelSpecificationError(
                    "constructs must be made with composite(), reflective(), single_item(), "
                    f"interaction() or higher_composite(), got {c!r}"
                )
        names = [c.name for c in self.constructs]
        measured = [c.name for c in self.constructs if isinstance(c, Construct)]
        for term in self.interactions:
            for role, end in (("independent variable", term.iv), ("moderator", term.moderator)):
                if end not in measured:
                    near = difflib.get_close_matches(end, measured, n=3)
                    hint = f" (did you mean {near}?)" if near else ""
                    raise ModelSpecificationError(
                        f"interaction {term.name!r}: its {role} {end!r} is not a construct of "
                        f"the model{hint}; measured constructs: {measured}"
                    )
            if term.method != "two_stage":
                formative = [c.name for c in self.constructs if c.name in (term.iv,
                             term.moderator) and isinstance(c, Construct) and c.mode == "B"
                             and not c.is_single_item]
                if formative:
                    raise ModelSpecificationError(
                        f"interaction {term.name!r}: the {term.method.replace('_', '-')} "
                        f"approach builds products of indicators, which is not defined for the "
                        f"Mode B (formative) construct(s) {formative}: their indicators are not "
                        "interchangeable measures of one thing. Use method='two_stage' (the "
                        "product of the construct scores; Hair et al. 2022, ch. 7)."
                    )
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ModelSpecificationError(
                f"construct name(s) {twice} defined more than once in the measurement model."
            )
        _check_higher_order(self)
        owner: dict[str, str] = {}
        for c in self.constructs:
            for item in c.items:
                if item in owner:
                    raise ModelSpecificationError(
                        f"indicator {item!r} is assigned to both {owner[item]!r} and {c.name!r}; "
                        "each indicator must measure exactly one construct."
                    )
                owner[item] = c.name
        if not self.structure:
            raise ModelSpecificationError("the structural model has no paths.")
        seen: set[tuple[str, str]] = set()
        for p in self.structure:
            for end in (p.source, p.target):
                if end not in names:
                    near = difflib.get_close_matches(end, names, n=3)
                    hint = f" (did you mean {near}?)" if near else ""
                    raise ModelSpecificationError(
                        f"path {p} uses construct {end!r}, which is not in the measurement "
                        f"model{hint}; defined constructs: {names}"
                    )
            if p.source == p.target:
                raise ModelSpecificationError(f"path {p} points a construct at itself.")
            if (p.source, p.target) in seen:
                raise ModelSpecificationError(f"path {p} is given more than once.")
            seen.add((p.source, p.target))
        cycle = _find_cycle(names, self.structure)
        if cycle:
            raise ModelSpecificationError(
                "the structural model has a cycle: " + " -> ".join(cycle)
                + "; PLS-SEM estimates recursive (acyclic) models only."
            )
        linked = {p.source for p in self.structure} | {p.target for p in self.structure}
        linked |= {d for h in self.higher_order for d in h.dimensions}
        isolated = [n for n in names if n not in linked]
        if isolated:
            raise ModelSpecificationError(
                f"construct(s) {isolated} have no structural path; the inner weighting scheme "
                "needs every construct to be connected. Add a path or remove the construct."
            )

    # --- accessors -------------------------------------------------------------------------
    @property
    def construct_names(self) -> list[str]:
        return [c.name for c in self.constructs]

    @property
    def items(self) -> list[str]:
        """All indicators, grouped by construct in the order of ``constructs`` (interaction
        terms have none until estimation generates them)."""
        return [i for c in self.constructs for i in c.items]

    @property
    def higher_order(self) -> list[HigherComposite]:
        return [c for c in self.constructs if isinstance(c, HigherComposite)]

    @property
    def interactions(self) -> list[Interaction]:
        return [c for c in self.constructs if isinstance(c, Interaction)]

    @property
    def reflective_constructs(self) -> list[str]:
        return [c.name for c in self.constructs if c.is_reflective]

    def as_reflective(self, names: Sequence[str] | None = None) -> Model:
        """The model with constructs declared reflective (for PLSc): the named ones, or by
        default every multi-item Mode A composite.  A named construct that cannot be reflective
        (one indicator, Mode B, an interaction) raises a clear error."""
        known = self.construct_names
        if names is not None:
            unknown = [n for n in names if n not in known]
            if unknown:
                raise ModelSpecificationError(
                    f"as_reflective: construct(s) {unknown} not in the model; constructs: {known}")
        out = []
        for c in self.constructs:
            chosen = (c.name in names) if names is not None else (
                isinstance(c, Construct) and c.mode == "A" and not c.is_single_item)
            if chosen and isinstance(c, Interaction | HigherComposite):
                what = ("an interaction term" if isinstance(c, Interaction)
                        else "a higher-order composite")
                raise ModelSpecificationError(
                    f"as_reflective: {c.name!r} is {what}, not a measured construct")
            out.append(Construct(c.name, c.items, c.mode, c.scale, "reflective") if chosen else c)
        return Model(out, self.structure)

    def as_composites(self) -> Model:
        """The model with every reflective construct declared a (Mode A) composite: plain PLS,
        no consistency correction."""
        out = [Construct(c.name, c.items, c.mode, c.scale) if c.is_reflective else c
               for c in self.constructs]
        return Model(out, self.structure)

    def construct(self, name: str) -> Construct:
        for c in self.constructs:
            if c.name == name:
                return c
        raise KeyError(f"no construct {name!r}; constructs: {self.construct_names}")

    def predecessors(self, name: str) -> list[str]:
        return [p.source for p in self.structure if p.target == name]

    @property
    def endogenous(self) -> list[str]:
        """Constructs with at least one incoming path, in measurement-model order."""
        targets = {p.target for p in self.structure}
        return [n for n in self.construct_names if n in targets]

    @property
    def exogenous(self) -> list[str]:
        targets = {p.target for p in self.structure}
        return [n for n in self.construct_names if n not in targets]

    def without_path(self, source: str, target: str) -> Model:
        """The model with path ``source -> target`` removed; constructs left without any path
        are dropped (used for f²)."""
        structure = [p for p in self.structure if (p.source, p.target) != (source, target)]
        linked = {p.source for p in structure} | {p.target for p in structure}
        return Model([c for c in self.constructs if c.name in linked], structure)

    def describe(self) -> str:
        lines = ["Measurement model:"]
        for c in self.constructs:
            if isinstance(c, Interaction):
                lines.append(f"  {c.name} ({c.kind}): {c.iv} x {c.moderator}")
            elif isinstance(c, HigherComposite):
                lines.append(f"  {c.name} ({c.kind}): {', '.join(c.dimensions)}")
            else:
                lines.append(f"  {c.name} ({c.kind}): {', '.join(c.items)}")
        lines.append("Structural model:")
        lines += [f"  {p}" for p in self.structure]
        return "\n".join(lines)


# --- reading specifications from files -------------------------------------------------------


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a mapping key given twice (e.g. a construct named twice)."""


def _construct_unique_mapping(loader, node, deep=False):
    keys = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise ModelSpecificationError(
                f"key {key!r} appears twice in the YAML mapping at line "
                f"{key_node.start_mark.line + 1} (a construct named twice?)"
            )
        keys.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def _construct_from_mapping(name: str, entry: Mapping, where: str
                            ) -> Construct | HigherComposite:
    if "dimensions" in entry:  # a higher-order composite
        allowed = {"dimensions", "mode", "method", "name"}
        unknown = set(entry) - allowed
        if unknown:
            raise ModelSpecificationError(
                f"{where}: unknown key(s) {sorted(unknown)} for higher-order construct "
                f"{name!r}; allowed: {sorted(allowed)}")
        dims = entry["dimensions"]
        return HigherComposite(name, (dims,) if isinstance(dims, str) else tuple(dims),
                               entry.get("method", "two_stage"), entry.get("mode", "A"))
    allowed = {"items", "item", "single_item", "mode", "scale", "name", "measurement"}
    unknown = set(entry) - allowed
    if unknown:
        raise ModelSpecificationError(
            f"{where}: unknown key(s) {sorted(unknown)} for construct {name!r}; "
            f"allowed: {sorted(allowed)} (or 'dimensions' for a higher-order construct)"
        )
    if "single_item" in entry or "item" in entry:
        items = [entry.get("single_item", entry.get("item"))]
    else:
        items = entry.get("items") or []
    if isinstance(items, str):
        items = [items]
    scale = entry.get("scale")
    return Construct(name, tuple(items), entry.get("mode", "A"), tuple(scale) if scale else None,
                     entry.get("measurement", "composite"))


def model_from_dict(spec: Mapping, where: str = "specification") -> Model:
    """Build a :class:`Model` from the dictionary form used by YAML files (see
    :func:`read_model`)."""
    if not isinstance(spec, Mapping) or "constructs" not in spec or "paths" not in spec:
        raise ModelSpecificationError(
            f"{where}: a model specification needs the top-level keys 'constructs' and 'paths'."
        )
    raw = spec["constructs"]
    constructs: list[Construct | HigherComposite] = []
    if isinstance(raw, Mapping):
        for name, entry in raw.items():
            entry = entry if isinstance(entry, Mapping) else {"items": entry}
            constructs.append(_construct_from_mapping(str(name), entry, where))
    else:
        for k, entry in enumerate(raw or []):
            if not isinstance(entry, Mapping) or "name" not in entry:
                raise ModelSpecificationError(
                    f"{where}: constructs[{k}] must be a mapping with a 'name' key."
                )
            constructs.append(_construct_from_mapping(str(entry["name"]), entry, where))
    structure: list[Path] = []
    for k, entry in enumerate(spec["paths"] or []):
        if not isinstance(entry, Mapping) or "from" not in entry or "to" not in entry:
            raise ModelSpecificationError(
                f"{where}: paths[{k}] must be a mapping with keys 'from' and 'to'."
            )
        structure += paths(entry["from"], entry["to"])
    return Model(constructs, structure)


def _model_from_csv(path: FilePath) -> Model:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    needed = {"type", "from", "to"}
    if not rows or not needed <= set(rows[0]):
        raise ModelSpecificationError(
            f"{path}: a CSV model needs the columns type,from,to (optional: mode); each row is "
            "either 'item,<indicator>,<construct>' or 'path,<construct>,<construct>'."
        )
    items: dict[str, list[str]] = {}
    modes: dict[str, str] = {}
    structure: list[Path] = []
    for line, row in enumerate(rows, start=2):
        kind = (row["type"] or "").strip().lower()
        src, dst = (row["from"] or "").strip(), (row["to"] or "").strip()
        if kind == "item":
            items.setdefault(dst, []).append(src)
            mode = (row.get("mode") or "A").strip() or "A"
            if modes.setdefault(dst, mode) != mode:
                raise ModelSpecificationError(
                    f"{path} row {line}: construct {dst!r} has conflicting modes "
                    f"{modes[dst]!r} and {mode!r}."
                )
        elif kind == "path":
            structure.append(Path(src, dst))
        else:
            raise ModelSpecificationError(
                f"{path} row {line}: type {row['type']!r} is not 'item' or 'path'."
            )
    return Model([Construct(n, tuple(v), modes[n]) for n, v in items.items()], structure)


def read_model(path: str | FilePath) -> Model:
    """Read a model specification from a YAML (``.yaml``/``.yml``) or CSV (``.csv``) file.

    YAML::

        constructs:
          Image:       {mode: A, items: [IMAG1, IMAG2, IMAG3]}
          Tech:        {mode: B, items: [x1, x2], scale: [1, 10]}
          Complaints:  {single_item: CUSCO}
        paths:
          - {from: Image, to: [Expectation, Satisfaction]}

    A higher-order composite lists its dimensions instead of items, e.g.
    ``Evaluation: {dimensions: [Quality, Value], mode: A, method: two_stage}``.

    CSV (one row per indicator or path; ``mode`` only on item rows, default A)::

        type,from,to,mode
        item,IMAG1,Image,A
        path,Image,Expectation,
    """
    path = FilePath(path)
    if not path.exists():
        raise FileNotFoundError(f"model specification {path} does not exist")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        with open(path, encoding="utf-8") as fh:
            spec = yaml.load(fh, Loader=_UniqueKeyLoader)  # noqa: S506 - safe loader subclass
        return model_from_dict(spec, where=str(path))
    if suffix == ".csv":
        return _model_from_csv(path)
    raise ModelSpecificationError(
        f"{path}: unknown specification format {suffix!r}; use .yaml, .yml or .csv"
    )


def constructs_from_table(
    table, construct: str = "construct", item: str = "item", mode: str | None = "mode"
) -> list[Construct]:
    """Constructs from a codebook-like table (a DataFrame with one row per indicator).

    Rows with an empty construct are skipped; ``mode`` may be absent (then Mode A)."""
    missing = [c for c in (construct, item) if c not in table.columns]
    if missing:
        raise ModelSpecificationError(
            f"codebook table lacks column(s) {missing}; it has {list(table.columns)}"
        )
    items: dict[str, list[str]] = {}
    modes: dict[str, str] = {}
    for _, row in table.iterrows():
        name = row[construct]
        if name is None or (isinstance(name, float) and name != name) or str(name).strip() == "":
            continue
        name = str(name).strip()
        items.setdefault(name, []).append(str(row[item]).strip())
        m = row[mode] if mode and mode in table.columns else "A"
        m = "A" if m is None or (isinstance(m, float) and m != m) or str(m).strip() == "" else m
        if modes.setdefault(name, str(m)) != str(m):
            raise ModelSpecificationError(f"construct {name!r} has conflicting modes in the table")
    return [Construct(n, tuple(v), modes[n]) for n, v in items.items()]
