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
from pathlib import Path

import pandas as pd

from helpers.registers.article import factors
from helpers.registers.data import load_official, load_secondary, official_tables, secondary_tables
from helpers.registers.i18n import current, say
from helpers.registers.labels import factor_codes, label
from helpers.registers.paths import DATA
from helpers.registers.regions import analysis_regions, region_by_slug

PACKAGE = DATA / "datapackage.json"


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
    """The provenance table for reading: short hashes, headers in ``lang``."""
    return pd.DataFrame({
        label("kind", lang): provenance["kind"],
        label("source", lang): provenance["title"],
        label("published", lang): provenance["published"].str.split(" [(]", regex=True).str[0],
        "mirror": provenance["mirror"].str.replace("https://github.com/", "", regex=False),
        "sha256": provenance["file_sha256"].str[:12],
        "csv ✓": provenance["csv_hash_ok"].map({True: "✓", False: "✗"}),
    }, index=provenance.index.rename(label("table", lang)))


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


def city_rows(cross: pd.DataFrame, slugs: list[str], codebook: pd.DataFrame,
              lang: str = "en") -> pd.DataFrame:
    """Cross-section rows of ``slugs`` as columns named in ``lang``, indicators as rows
    (labelled with the codebook's English label)."""
    names = codebook.set_index("column")["label_en"]
    table = cross.loc[slugs].T
    table.columns = [region_by_slug(s).name(lang) for s in slugs]
    table.index = [names.get(c, c) for c in table.index]
    return table


def codebook_table(codebook: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Factor → indicator rows of the included codebook entries, headers in ``lang``.

    Factor names come from :func:`helpers.registers.article.factors`; the indicator label is the
    codebook's
    English label; proxy strength is translated.
    """
    names = factors().set_index("id")[f"name_{lang}"]
    codes = factors().set_index("id")["code_kk"]
    book = codebook[codebook["include"]]
    years = book["year_rule"].astype("string").fillna("–")
    return pd.DataFrame({
        label("factor", lang): [f"{codes[f]} · {names[f]}" for f in book["factor_id"]],
        label("indicator", lang): book["label_en"].to_numpy(),
        label("unit", lang): book["unit"].to_numpy(),
        label("year", lang): years.to_numpy(),
        label("source", lang): book["source_table"].to_numpy(),
        label("proxy_strength", lang): [label(f"proxy_{p}", lang) for p in book["proxy_strength"]],
    })


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
