"""The class pack's practice survey files: simulated answers, labelled practice.

``python -m helpers.classpack.practice`` writes ``data/survey/practice/practice-<city>.csv``
for :data:`CITIES`: respondents simulated by the study's generator
(:func:`helpers.steps.nb07_reconstruction.simulate_survey`, from the reconstruction's
specification and a seed per city), headed by comment lines that say PRACTICE DATA, how they
were made and that they are no city's answers.
``helpers.steps.nb07_survey.load_responses(city, practice=True)`` reads them and only them;
without the flag the loader refuses them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from helpers.steps.nb07_reconstruction import load_spec, simulate_survey
from helpers.steps.nb07_survey import PRACTICE, PRACTICE_MARK

CITIES = {"astana": 101, "almaty": 202}
"""Practice cities and the seed of each one's simulated respondents."""
N_RESPONDENTS = 150


def header(city: str, seed: int, n: int) -> str:
    """The comment lines above a practice file's header row."""
    return (f"# {PRACTICE_MARK} for the class pack (class/): {n} respondents SIMULATED by "
            f"helpers.steps.nb07_reconstruction.simulate_survey with seed {seed} from "
            "data/reconstruction/astana_survey.yaml.\n"
            f"# Named '{city}' only so that two groups can be compared: these are not the answers "
            "of anyone in any city and say nothing about it.\n")


def write(folder: Path = PRACTICE, n: int = N_RESPONDENTS) -> list[Path]:
    """Write every practice file to ``folder``; the same seeds give the same bytes."""
    spec = load_spec()
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for city, seed in CITIES.items():
        answers = simulate_survey(spec, seed, n).answers
        path = folder / f"practice-{city}.csv"
        body = answers.reset_index().to_csv(index=False, lineterminator="\n")
        path.write_text(header(city, seed, n) + body, encoding="utf-8")
        out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=PRACTICE, help="folder to write to")
    args = parser.parse_args(argv)
    for path in write(args.output):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
