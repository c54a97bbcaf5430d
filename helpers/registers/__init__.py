"""Registers and data: where files are, the regions, the labels, the article's claims and
hypotheses, the tidy data tables and the verdict words. The lowest layer: it imports nothing
else of ``helpers``."""
