"""The exhibits do not depend on matplotlib's per-user font cache (issue 16, §2).

A DejaVu Sans installed by the system (Debian's fonts-dejavu) and the one matplotlib ships draw
different glyph paths. A cache built without the bundled files (or listing the system copy first)
used to change every SVG. ``helpers.plots.figures.use_style`` now puts the bundled files first.
Each run here is a fresh interpreter with a throwaway ``MPLCONFIGDIR``; the user's own cache is
only read, never changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

from helpers.registers import paths

BUNDLED = Path(matplotlib.get_data_path(), "fonts", "ttf").resolve()
SYSTEM = [Path(p) for p in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                            "/usr/share/fonts/TTF/DejaVuSans.ttf") if Path(p).exists()]

DRAW = """
import hashlib, io, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager
from helpers.plots.figures import STYLE, use_style
if sys.argv[1] == "style-only":
    plt.style.use(STYLE)
else:
    use_style()
fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([1, 2, 3], [2, 1, 3], label="Қарағанды / Алматы")
ax.set_title("Astana: a bold title")
ax.legend()
buffer = io.BytesIO()
fig.savefig(buffer, format="svg", metadata={"Date": None})
print(font_manager.findfont("DejaVu Sans"))
print(font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans", weight="bold")))
print(hashlib.sha256(buffer.getvalue()).hexdigest())
"""


def _cache(folder: Path, order: str) -> Path:
    """A throwaway matplotlib config folder whose font list has the bundled files first
    (``"bundled"``), last (``"system"``) or not at all (``"none"``)."""
    folder.mkdir()
    env = {**os.environ, "MPLCONFIGDIR": str(folder)}
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env, check=True,
                   timeout=300)
    (listing,) = folder.glob("fontlist-*.json")
    cache = json.loads(listing.read_text(encoding="utf-8"))

    def bundled(entry: dict) -> bool:  # matplotlib stores its own files relative to mpl-data
        return not Path(entry["fname"]).is_absolute() or \
            Path(entry["fname"]).resolve().parent == BUNDLED

    own = [e for e in cache["ttflist"] if bundled(e)]
    other = [e for e in cache["ttflist"] if not bundled(e)]
    cache["ttflist"] = {"bundled": own + other, "system": other + own, "none": other}[order]
    listing.write_text(json.dumps(cache), encoding="utf-8")
    return folder


def _draw(config: Path, mode: str = "use_style") -> list[str]:
    env = {**os.environ, "MPLCONFIGDIR": str(config), "PYTHONPATH": str(paths.ROOT)}
    done = subprocess.run([sys.executable, "-c", DRAW, mode], env=env, capture_output=True,
                          text=True, timeout=300, cwd=paths.ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.split()


@pytest.mark.skipif(not SYSTEM, reason="no system copy of DejaVu Sans to be confused with")
def test_the_svg_is_the_same_whichever_dejavu_the_cache_lists_first(tmp_path):
    reference = _draw(_cache(tmp_path / "bundled", "bundled"))
    for order in ("system", "none"):
        config = _cache(tmp_path / order, order)
        # the trap is set: with the style alone, matplotlib picks the system copy here ...
        plain = _draw(config, "style-only")
        assert Path(plain[0]).resolve().parent != BUNDLED, plain
        assert plain[2] != reference[2], "the two DejaVu copies drew the same SVG"
        # ... and use_style draws with the bundled files, byte for byte as with a good cache
        styled = _draw(config)
        assert [Path(p).resolve().parent for p in styled[:2]] == [BUNDLED, BUNDLED], styled
        assert styled[2] == reference[2], order
