"""What the study's data cover: sources and provenance, coverage by table/region/year, missing
values, and the codebook shown as a table (used by ``01_data_assembly``).

The loaders themselves live in :mod:`helpers.registers.data` (owned by the data layer); this module
only
summarises what they return.

* :func:`provenance_table` — one row per table of ``data/datapackage.json``;
* :func:`load_tables` — every official and secondary table, validated, by name;
* :func:`coverage_summary` / :func:`coverage_by_year` — which indicators, regions and years;
* :func:`missing_counts` — regions without a value, per cross-section column;
* :func:`codebook_table` — factor → indicators with proxy strength, in ``en``/``kk``/``ru``.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from helpers.registers import i18n
from helpers.registers.article import factors
from helpers.registers.data import (
    load_codebook,
    load_official,
    load_secondary,
    official_tables,
    secondary_tables,
)
from helpers.registers.i18n import TranslationError, current, say
from helpers.registers.labels import factor_codes, label
from helpers.registers.paths import DATA, ROOT
from helpers.registers.regions import analysis_regions, region_by_slug

PACKAGE = DATA / "datapackage.json"
BOOK_TEXT = ROOT / "book" / "text.yaml"
"""The site's words: its ``source_titles`` (each spec's English title in every language) are the
titles notebook 01 shows, so the sources page and the notebook name a table the same way."""


def provenance_table(path: Path | None = None) -> pd.DataFrame:
    """One row per resource of the data package: kind, title, publisher, date, mirror, sha256.

    ``kind`` is ``official`` (extracted by the study's code from a BNS workbook) or
    ``secondary`` (rows quoted from other public sources, each with its own address).
    """
    path = path or PACKAGE
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: re-create it with "
                                "`python -m helpers.sources`.")
    package = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for resource in package.get("resources", []):
        for key in ("name", "path"):
            if key not in resource:
                raise ValueError(f"{path}: a resource has no {key!r}: {sorted(resource)}.")
        source = (resource.get("sources") or [{}])[0]
        rows.append({
            "table": resource["name"],
            "kind": resource["path"].split("/", 1)[0],
            "spec": Path(resource.get("spec", "")).stem,
            "title": source.get("title_en") or source.get("title") or resource.get("title", ""),
            "publisher": source.get("publisher", ""),
            "published": source.get("published", ""),
            "mirror": source.get("mirror", source.get("path", "")),
            "mirror_path": source.get("mirror_path", ""),
            "file_sha256": source.get("file_sha256", ""),
            "csv_hash": resource.get("hash", ""),
            "csv_hash_ok": _hash_ok(path.parent / resource["path"], resource.get("hash", "")),
        })
    return pd.DataFrame(rows).set_index("table")


def _hash_ok(csv: Path, recorded: str) -> bool:
    """True when the CSV's sha256 equals the package's ``sha256:<hex>`` entry."""
    if not recorded.startswith("sha256:") or not csv.exists():
        return False
    return hashlib.sha256(csv.read_bytes()).hexdigest() == recorded.split(":", 1)[1]


def provenance_display(provenance: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The provenance table for reading: tables by their place in ``data/`` (kind/name), short
    hashes, headers, kinds, titles and publication notes in ``lang``."""
    return shown(pd.DataFrame({
        "kind": provenance["kind"].to_numpy(),
        "source": [source_title(spec, title, lang)
                   for spec, title in zip(provenance["spec"], provenance["title"], strict=True)],
        "published": [_published(p, lang) for p in
                      provenance["published"].str.split(" [(]", regex=True).str[0]],
        "mirror": provenance["mirror"].str.replace("https://github.com/", "", regex=False)
        .to_numpy(),
        "sha256": provenance["file_sha256"].str[:12].to_numpy(),
        "csv ✓": provenance["csv_hash_ok"].map({True: "✓", False: "✗"}).to_numpy(),
    }, index=pd.Index(table_names(provenance), name="table")), lang)


@cache
def _book_titles() -> dict:
    return yaml.safe_load(BOOK_TEXT.read_text(encoding="utf-8")).get("source_titles", {})


def source_title(spec: str, english: str, lang: str = "en") -> str:
    """A source's title in ``lang``: the data package's English title, or its translation in
    ``book/text.yaml`` (``source_titles.<spec>``, whose ``en`` must still be that title)."""
    if lang == "en":
        return english
    entry = _book_titles().get(spec) or {}
    if entry.get("en") != english or not (entry.get(lang) or "").strip():
        state = "has no entry" if not entry else (
            "is stale (its en is not the data package's title)" if entry.get("en") != english
            else f"has no {lang} text")
        raise TranslationError(f"{BOOK_TEXT.relative_to(ROOT)}: source_titles.{spec} {state}; "
                               f"its en must read {english!r}, with its kk and ru.")
    return entry[lang]


def _published(text: str, lang: str) -> str:
    """A publication date or note: words from ``data/i18n/data_texts.csv``, dates as they are."""
    return i18n.translated(text, lang) if re.search("[A-Za-z]", text or "") else text


def table_names(provenance: pd.DataFrame) -> list[str]:
    """Each table by its place under ``data/`` (``official/population``), as the codebook's
    ``source_table`` names it."""
    return [f"{kind}/{name}" for name, kind in provenance["kind"].items()]


TABLE_WORDS = ("kind", "source", "published", "mirror", "table", "official", "secondary",
               "n_indicators", "n_regions", "first_year", "last_year", "n_years", "n_values",
               "undated_values", "expected", "present", "missing", "factor", "indicator",
               "unit", "year", "proxy_strength", "latest")
"""The English words of notebook 01's tables that a reader sees as headers or cells (labels
``tab_<word>`` in ``data/labels.csv``; the English label is the word itself)."""


def shown(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """A table of notebook 01 for reading in ``lang`` (:func:`helpers.registers.i18n.shown`
    with :data:`TABLE_WORDS`, region slugs as names); the record is unchanged."""
    return i18n.shown(table, lang, TABLE_WORDS, names={}, places=True)


def by_table_shown(table: pd.DataFrame, provenance: pd.DataFrame,
                   lang: str | None = None) -> pd.DataFrame:
    """A table indexed by table name (coverage, gaps) for reading in ``lang``: the tables by
    their place in ``data/`` (:func:`table_names`), headers and words translated."""
    places = dict(zip(provenance.index, table_names(provenance), strict=True))
    return shown(table.rename(index=places), lang)


def load_tables(data: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every tidy table by name (official first), validated by :mod:`helpers.registers.data`."""
    data = data or DATA
    tables = {n: load_official(n, data / "official") for n in official_tables(data / "official")}
    for name in secondary_tables(data / "secondary"):
        tables[name] = load_secondary(name, data / "secondary")
    return tables


def _regional(df: pd.DataFrame) -> pd.DataFrame:
    slugs = {r.slug for r in analysis_regions()}
    return df[df["region"].isin(slugs)]


def coverage_summary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per table: indicators, regions of the 20 with any value, first/last year, values.

    Only the 20 current regions count (the country row and historical regions are left out);
    undated secondary rows count as values but not as years.
    """
    rows = []
    for name, df in tables.items():
        regional = _regional(df)
        years = regional["year"].dropna()
        rows.append({
            "table": name,
            "kind": "official" if "source" not in df.columns else "secondary",
            "n_indicators": int(regional["indicator"].nunique()),
            "n_regions": int(regional["region"].nunique()),
            "first_year": int(years.min()) if len(years) else None,
            "last_year": int(years.max()) if len(years) else None,
            "n_years": int(years.nunique()),
            "n_values": int(len(regional)),
            "undated_values": int(regional["year"].isna().sum()),
        })
    return pd.DataFrame(rows).set_index("table")


def coverage_by_year(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Tables × years: how many of the 20 regions have at least one value that year (0 = none).

    Undated rows appear in a column ``undated``.
    """
    counts = {}
    for name, df in tables.items():
        regional = _regional(df)
        dated = regional.dropna(subset=["year"])
        row = dated.groupby("year")["region"].nunique().to_dict()
        undated = regional[regional["year"].isna()]
        if len(undated):
            row["undated"] = undated["region"].nunique()
        counts[name] = row
    out = pd.DataFrame(counts).T
    years = sorted(c for c in out.columns if c != "undated")
    columns = [*years, *(["undated"] if "undated" in out.columns else [])]
    return out.reindex(columns=columns).fillna(0).astype(int).rename(columns=str)


def table_gaps(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per table, the region × indicator × year cells of its own year range that hold no value.

    expected = 20 regions × indicators × years (first to last dated year of the table);
    missing = expected − present. Gaps are mostly regions that did not exist yet (Shymkent before
    2018; Abai, Zhetisu and Ulytau before 2022) and cells the publisher printed as '-' or 'x'.
    Undated secondary rows are left out.
    """
    n_regions = len(analysis_regions())
    rows = []
    for name, df in tables.items():
        dated = _regional(df).dropna(subset=["year"])
        if dated.empty:
            rows.append({"table": name, "expected": 0, "present": 0, "missing": 0})
            continue
        n_years = int(dated["year"].max() - dated["year"].min() + 1)
        expected = n_regions * dated["indicator"].nunique() * n_years
        present = len(dated.drop_duplicates(["region", "year", "indicator"]))
        rows.append({"table": name, "expected": expected, "present": present,
                     "missing": expected - present})
    return pd.DataFrame(rows).set_index("table")


def missing_counts(cross: pd.DataFrame) -> pd.Series:
    """Regions (rows) without a value, per cross-section column."""
    return cross.isna().sum().astype(int)


def missing_regions(cross: pd.DataFrame) -> dict[str, list[str]]:
    """``{column: [region slugs without a value]}`` for the columns that have gaps."""
    return {c: list(cross.index[cross[c].isna()]) for c in cross.columns if cross[c].isna().any()}


def indicator_names(codebook: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """``{cross-section column: indicator name}`` of the included codebook rows: the codebook's
    English label, in another language the indicator's label ``ind_<column>`` of
    ``data/labels.csv``."""
    book = codebook[codebook["include"]].set_index("column")
    if lang == "en":
        return book["label_en"].to_dict()
    return {column: label(f"ind_{column}", lang) for column in book.index}


def city_rows(cross: pd.DataFrame, slugs: list[str], codebook: pd.DataFrame,
              lang: str = "en") -> pd.DataFrame:
    """Cross-section rows of ``slugs`` as columns named in ``lang``, indicators as rows
    (:func:`indicator_names`); the values are the cross-section's (:func:`shown` writes them
    for reading)."""
    names = indicator_names(codebook, lang)
    table = cross.loc[slugs].T
    table.columns = [region_by_slug(s).name(lang) for s in slugs]
    table.index = [names.get(c, c) for c in table.index]
    return table


def codebook_table(codebook: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Factor → indicator rows of the included codebook entries, for reading in ``lang``.

    Factor names come from :func:`helpers.registers.article.factors`; the indicator's name from
    :func:`indicator_names`; units from ``data/i18n/data_texts.csv``; proxy strength and the
    year rule translated.
    """
    names = factors().set_index("id")[f"name_{lang}"]
    codes = factors().set_index("id")["code_kk"]
    book = codebook[codebook["include"]]
    indicators = indicator_names(book, lang)
    years = book["year_rule"].astype("string").fillna("–")
    return shown(pd.DataFrame({
        "factor": [f"{codes[f]} · {names[f]}" for f in book["factor_id"]],
        "indicator": [indicators[c] for c in book["column"]],
        "unit": [i18n.translated(u, lang) for u in book["unit"]],
        "year": years.to_numpy(),
        "source": book["source_table"].to_numpy(),
        "proxy_strength": [label(f"proxy_{p}", lang) for p in book["proxy_strength"]],
    }), lang)


def texts_shown(provenance: pd.DataFrame | None = None,
                codebook: pd.DataFrame | None = None) -> list[str]:
    """Every English text of the data that notebook 01 shows through
    ``data/i18n/data_texts.csv`` (units, publication notes)."""
    provenance = provenance_table() if provenance is None else provenance
    book = load_codebook() if codebook is None else codebook
    notes = provenance["published"].str.split(" [(]", regex=True).str[0]
    return list(dict.fromkeys([*book.loc[book["include"], "unit"],
                               *[n for n in notes if re.search("[A-Za-z]", n or "")]]))


def tables_sentence(provenance, lang: str | None = None) -> str:
    """How many tables, of which kind, and how many match their recorded hash (notebook 01)."""
    kinds = provenance["kind"].value_counts()
    return say("coverage.tables", lang, n=len(provenance), n_official=int(kinds.get("official", 0)),
               n_secondary=int(kinds.get("secondary", 0)),
               n_ok=int(provenance["csv_hash_ok"].sum()))


def cross_section_sentence(cross, missing, lang: str | None = None) -> str:
    return say("coverage.cross_section", lang, n_regions=cross.shape[0],
               n_columns=cross.shape[1], n_missing=int(missing.sum()),
               n_cols_missing=int((missing > 0).sum()))


def per_factor_sentence(per_factor, strength, lang: str | None = None) -> str:
    lang = lang or current()
    words = {k: say(f"strength.{k}", lang) for k in strength.index}
    codes = factor_codes() if lang != "en" else {}
    return say("coverage.per_factor", lang,
               counts=", ".join(f"{codes.get(f, f)}: {len(c)}" for f, c in per_factor.items()),
               strength=", ".join(f"{words[k]}: {int(v)}" for k, v in strength.items()))


def city_note(city, lang: str | None = None) -> str:
    """The statistics note of one of the article's cities in the notebook's language."""
    lang = lang or current()
    if lang == "en" or city.type != "region":
        return city.statistics_note if lang == "en" else say(
            "profile.coverage_city", lang, region=city.name(lang))
    return say("site.region_note", lang, region=city.name(lang))
