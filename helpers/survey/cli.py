"""``python -m helpers.survey convert FILE [--city NAME | --out PATH]``: a form export (Google
Forms, Microsoft Forms; CSV or .xlsx; Kazakh, Russian or English) to the study's response CSV.

The command is an edge of the study: ``--city`` is any spelling of a city, resolved here once
(:func:`helpers.run.params.check_values`, as a notebook's ``setup`` does) to the slug the file is
named by. The reading itself is :mod:`helpers.steps.nb07_survey_files`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.run.params import ParameterError, check_values
from helpers.run.results import write_text_atomic
from helpers.steps.nb07_survey_files import SurveyFileError, read_survey_file
from helpers.steps.nb07_survey_instrument import SURVEY, SurveyResponseError, validate_responses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.survey",
        description="Convert a survey file (a Google Forms or Microsoft Forms export, CSV or "
                    ".xlsx, in Kazakh, Russian or English) to the study's response CSV.")
    commands = parser.add_subparsers(dest="command", required=True)
    convert = commands.add_parser("convert", help="write the canonical CSV and show the mapping")
    convert.add_argument("file", type=Path)
    target = convert.add_mutually_exclusive_group()
    target.add_argument("--city", help="save as data/survey/<city>.csv (any spelling of the city)")
    target.add_argument("--out", type=Path, help="where to write the canonical CSV (default: "
                        "beside FILE, as <name>.canonical.csv)")
    args = parser.parse_args(argv)
    try:
        canonical, reading, header_line = read_survey_file(args.file)
    except (SurveyFileError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(reading.report())
    try:
        checked = validate_responses(canonical, where=str(args.file))
    except SurveyResponseError as error:
        print(f"\nerror: nothing written; {error}", file=sys.stderr)
        return 1
    if args.city:
        try:
            out = SURVEY / f"{check_values({'city': args.city})['city'].slug}.csv"
        except ParameterError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    else:
        out = args.out or args.file.with_name(f"{args.file.stem}.canonical.csv")
    write_text_atomic(out, canonical.to_csv(index=False, lineterminator="\n"))
    print(f"\n{len(checked.answers)} respondents, {canonical.shape[1] - 1} items: wrote {out}")
    return 0
