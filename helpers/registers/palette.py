"""The study's one palette, by role: every colour of the figures, the site and the HTML report.

The drawing (:mod:`helpers.plots.figures`) and the pages (the reproduction report, the site) read
it from here, so that a step writing an HTML page does not reach up into the drawing layer.
"""

PALETTE = {
    # places: the city of the run has this one colour in every figure
    "city": "#d95f02",
    "kazakhstan": "#4d4d4d",
    "other": "#a6bddb",            # the other regions
    # sources
    "article": "#7b3294",          # the article's published numbers and claims
    "official": "#253494",         # official statistics (BNS)
    "quoted": "#41b6c4",           # values quoted by secondary sources
    # signs and verdicts
    "positive": "#2166ac",
    "negative": "#b2182b",
    "confirmed": "#2e7d32",
    "not_confirmed": "#c62828",
    "confirmed_light": "#dff0d8",
    "not_confirmed_light": "#f8e0dc",
    "synthetic": "#cc0000",        # the SYNTHETIC DATA mark
    "break": "#7f7f7f",            # a break in a time series (dotted)
    # neutral tones
    "ink": "#222222",
    "muted": "#555555",
    "neutral": "#9e9e9e",
    "faint": "#dddddd",
    "panel": "#f2f2f2",
    "box": "#f4f4f4",
    "highlight": "#dbe9f6",        # a box that matters (the outcome, a hypothesis)
    "note": "#fff7e0",
    "paper": "#ffffff",
}
"""Every colour of the study's figures (and of the reproduction report's HTML page), by role."""

FACTOR_COLOURS = {"social": "#4c72b0", "management": "#55a868", "economy": "#8c564b",
                  "law": "#c44e52", "technology": "#e377c2", "sustainability": "#2a9d8f",
                  "adaptation": "#222222"}
"""The six factors of the article and the outcome; none is close to the city's colour."""
