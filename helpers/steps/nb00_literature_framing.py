"""The article's literature framing as data, and Figure 1 (the research scheme) drawn by code.

* :func:`load_definitions` — ``data/article/definitions.csv``: the definitions of a smart city the
  article compares and the stages of the concept's genesis, paraphrased in the study's own words,
  each with the article's reference number and the line of ``article-kk.txt`` it comes from, and
  coded 0/1 for what it stresses (:data:`THEMES`);
* :func:`emphasis_counts` — how many of the compared definitions stress each theme;
* :func:`load_timeline` — ``data/article/timeline.csv``: Kazakhstan's policy timeline in the text;
* :func:`research_scheme` — Figure 1 as a graph (drawn by :mod:`helpers.plots.fig01`).

Coding rule (one reader, recorded so that anyone can re-code): *technology* = digital, ICT or
innovative technology is named; *data* = data, information, analytics or monitoring is named;
*citizens* = residents' quality of life, comfort, services or human capital; *governance* =
management, decisions, government or administration; *sustainability* = the environment or the
efficient use of resources.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.registers import i18n
from helpers.registers.article import factors
from helpers.registers.data import read_table
from helpers.registers.labels import columns, label
from helpers.registers.paths import DATA

ARTICLE = DATA / "article"
THEMES = ("technology", "data", "citizens", "governance", "sustainability")
DEFINITION_COLUMNS = ("id", "kind", "stage", "ref", "author", "paraphrase_en", *THEMES, "location")
DEFINITION_KINDS = ("definition", "genesis")
TIMELINE_COLUMNS = ("id", "year_start", "year_end", "kind", *columns("event_{lang}"), "ref",
                    "location")
TIMELINE_KINDS = ("policy", "context", "standard")


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    df = read_table(path, columns, "The article's framing lives in data/article/.")
    for column in ("id", "location"):
        empty = df.index[df[column].str.strip() == ""]
        if len(empty):
            raise ValueError(f"{path}, row {empty[0] + 2}, column {column!r}: must not be empty "
                             "(every row says where in the article it comes from).")
    if df["id"].duplicated().any():
        raise ValueError(f"{path}: duplicated id(s) {sorted(df['id'][df['id'].duplicated()])}.")
    return df


def load_definitions(path: Path | None = None) -> pd.DataFrame:
    """The definitions and genesis stages, with the theme columns as 0/1 integers.

    Raises ``ValueError`` naming the row and column for a theme code other than 0/1, an unknown
    ``kind`` or a genesis row without a whole-number ``stage``.
    """
    path = path or ARTICLE / "definitions.csv"
    df = _read(path, DEFINITION_COLUMNS)
    for i, row in df.iterrows():
        if row["kind"] not in DEFINITION_KINDS:
            raise ValueError(f"{path}, row {i + 2}, column 'kind': {row['kind']!r} is not one of "
                             f"{list(DEFINITION_KINDS)}.")
        for theme in THEMES:
            if row[theme] not in ("0", "1"):
                raise ValueError(f"{path}, row {i + 2}, column {theme!r}: code {row[theme]!r} "
                                 "must be 0 or 1.")
        if row["kind"] == "genesis" and not row["stage"].isdigit():
            raise ValueError(f"{path}, row {i + 2}, column 'stage': a genesis row needs a stage "
                             f"number, got {row['stage']!r}.")
    df[list(THEMES)] = df[list(THEMES)].astype(int)
    df["stage"] = pd.to_numeric(df["stage"].replace("", None)).astype("Int64")
    return df


def compared(definitions: pd.DataFrame) -> pd.DataFrame:
    """Only the rows of kind ``definition`` (the ones the article sets side by side)."""
    return definitions[definitions["kind"] == "definition"].reset_index(drop=True)


def emphasis_counts(definitions: pd.DataFrame) -> pd.Series:
    """Number of compared definitions stressing each theme: n_t = Σ_d code(d, t)."""
    return compared(definitions)[list(THEMES)].sum().astype(int)


def genesis(definitions: pd.DataFrame) -> pd.DataFrame:
    """The genesis rows in stage order (wired city → digital city → smart city)."""
    rows = definitions[definitions["kind"] == "genesis"]
    return rows.sort_values("stage", kind="stable").reset_index(drop=True)


def theme_name(theme: str, lang: str = "en") -> str:
    """A theme's name in ``lang``."""
    return label(f"theme_{theme}", lang)


def definitions_table(definitions: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Compared definitions side by side: author, reference, paraphrase, ✓ per stressed theme.

    Headers follow ``lang``; the paraphrases are the study's English text, in ``lang`` from
    ``data/i18n/data_texts.csv``.
    """
    rows = compared(definitions)
    table = pd.DataFrame({
        label("author", lang): [i18n.translated(t, lang) for t in rows["author"]],
        label("reference", lang): rows["ref"].replace("", "–"),
        label("definition", lang): [i18n.translated(t, lang) for t in rows["paraphrase_en"]],
    })
    for theme in THEMES:
        table[theme_name(theme, lang)] = rows[theme].map({1: "✓", 0: ""})
    return table.set_index(label("author", lang))


def load_timeline(path: Path | None = None) -> pd.DataFrame:
    """Kazakhstan's policy timeline, sorted by year; ``year_start ≤ year_end`` is checked."""
    path = path or ARTICLE / "timeline.csv"
    df = _read(path, TIMELINE_COLUMNS)
    for column in ("year_start", "year_end"):
        bad = df.index[~df[column].str.fullmatch(r"\d{4}")]
        if len(bad):
            raise ValueError(f"{path}, row {bad[0] + 2}, column {column!r}: "
                             f"{df.loc[bad[0], column]!r} is not a four-digit year.")
        df[column] = df[column].astype(int)
    bad = df.index[df["year_end"] < df["year_start"]]
    if len(bad):
        raise ValueError(f"{path}, row {bad[0] + 2}, column 'year_end': ends before it starts.")
    bad = df.index[~df["kind"].isin(TIMELINE_KINDS)]
    if len(bad):
        raise ValueError(f"{path}, row {bad[0] + 2}, column 'kind': {df.loc[bad[0], 'kind']!r} is "
                         f"not one of {list(TIMELINE_KINDS)}.")
    return df.sort_values(["year_start", "year_end"], kind="stable").reset_index(drop=True)


def timeline_table(timeline: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The timeline as a table in ``lang``: years, event, the article's reference."""
    years = [str(a) if a == b else f"{a}–{b}"
             for a, b in zip(timeline["year_start"], timeline["year_end"], strict=True)]
    return pd.DataFrame({label("year", lang): years,
                         label("event", lang): timeline[f"event_{lang}"],
                         label("reference", lang): timeline["ref"].replace("", "–")}
                        ).set_index(label("year", lang))


# ----------------------------------------------------------------------------------------------
# Figure 1: the research scheme
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    """A box of the scheme: centre (x, y) and size in axes units (0–1)."""

    id: str
    key: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Scheme:
    """Figure 1 as a directed graph: boxes and arrows (an arrow may carry a label key)."""

    nodes: tuple[Node, ...]
    edges: tuple[tuple[str, str, str | None], ...]

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(f"No node {node_id!r}; nodes: {[n.id for n in self.nodes]}.")


def research_scheme(hypothesis_ids: tuple[str, ...] = ("H1", "H2", "H3")) -> Scheme:
    """The article's Figure 1: H1…Hk → data analysis/synthesis → comparative analysis and
    results → confirmed (Yes) / not confirmed (No) → conclusion."""
    k = len(hypothesis_ids)
    if k == 0:
        raise ValueError("The research scheme needs at least one hypothesis.")
    nodes = [Node(h, "scheme_hypothesis", (i + 0.5) / k, 0.89, min(0.29, 0.93 / k), 0.15)
             for i, h in enumerate(hypothesis_ids)]
    nodes += [
        Node("analysis", "scheme_analysis", 0.5, 0.68, 0.62, 0.10),
        Node("comparative", "scheme_comparative", 0.5, 0.50, 0.62, 0.09),
        Node("confirmed", "scheme_confirmed", 0.24, 0.29, 0.36, 0.09),
        Node("not_confirmed", "scheme_not_confirmed", 0.76, 0.29, 0.36, 0.09),
        Node("conclusion", "scheme_conclusion", 0.5, 0.09, 0.36, 0.09),
    ]
    edges = [(h, "analysis", None) for h in hypothesis_ids]
    edges += [("analysis", "comparative", None), ("comparative", "confirmed", "scheme_yes"),
              ("comparative", "not_confirmed", "scheme_no"), ("confirmed", "conclusion", None),
              ("not_confirmed", "conclusion", None)]
    return Scheme(tuple(nodes), tuple(edges))


def count_paths(scheme: Scheme, source: str, target: str) -> int:
    """Number of directed paths from ``source`` to ``target`` (the scheme has no cycles)."""
    if source == target:
        return 1
    return sum(count_paths(scheme, b, target) for a, b, _ in scheme.edges if a == source)


def genesis_table(definitions: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The genesis stages in order: stage, reference, the study's paraphrase (in ``lang``)."""
    rows = genesis(definitions)
    return pd.DataFrame({label("stage", lang): rows["stage"].astype(int),
                         label("reference", lang): rows["ref"],
                         label("definition", lang): [i18n.translated(t, lang)
                                                     for t in rows["paraphrase_en"]]}
                        ).set_index(label("stage", lang))


def hypotheses_table(hypotheses: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """H1–H3 in ``lang`` (``text_<lang>``; the Kazakh text is the article's own short quote) with
    the factors each concerns, named from :func:`helpers.registers.article.factors`."""
    names = factors().set_index("id")[f"name_{lang}"]
    text = f"text_{lang}"
    return pd.DataFrame({
        "H": hypotheses["id"],
        label("statement", lang): hypotheses[text],
        label("factor", lang): [", ".join(names[f] for f in fs) for fs in hypotheses["factors"]],
    }).set_index("H")


def emphasis_sentence(counts, n_definitions: int, lang: str | None = None) -> str:
    """Which themes the compared definitions stress most and least (notebook 00)."""
    top = [theme_name(t, lang or i18n.current()) for t in counts.index[counts == counts.max()]]
    low = [theme_name(t, lang or i18n.current()) for t in counts.index[counts == counts.min()]]
    return i18n.say("framing.emphasis", lang, n=n_definitions, n_top=int(counts.max()),
                    top=i18n.join(top, lang), n_low=int(counts.min()), low=i18n.join(low, lang))


def timeline_sentence(timeline, article_year: int = 2023, lang: str | None = None) -> str:
    """The policy timeline's span against the article's year (notebook 00)."""
    first, last = int(timeline["year_start"].min()), int(timeline["year_end"].max())
    return i18n.say("framing.timeline", lang, n=len(timeline), first=str(first), last=str(last),
                    article_year=str(article_year), gap=article_year - last)


def scheme_sentence(scheme, n_paths: int, n_hypotheses: int, lang: str | None = None) -> str:
    """Figure 1's graph in numbers (notebook 00)."""
    return i18n.say("framing.scheme", lang, n_boxes=len(scheme.nodes), n_arrows=len(scheme.edges),
                    per_hypothesis=n_paths // n_hypotheses, n_paths=n_paths)


def texts_shown(definitions: pd.DataFrame | None = None) -> list[str]:
    """The English texts of the data tables notebook 00 shows (paraphrases, authors): each needs its
    row in ``data/i18n/data_texts.csv``."""
    definitions = load_definitions() if definitions is None else definitions
    return list(dict.fromkeys(t for column in ("paraphrase_en", "author")
                              for t in definitions[column] if t))


def counts_table(counts, n_definitions: int, lang: str | None = None) -> pd.DataFrame:
    """How many compared definitions stress each theme, for reading in ``lang``."""
    lang = lang or i18n.current()
    return counts.rename(lambda t: theme_name(t, lang)).to_frame(
        label("n_of", lang).format(n=n_definitions))
