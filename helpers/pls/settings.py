"""The settings of a result (a dict recorded beside every table): as a two-column table for
export and as aligned text for ``summary()``."""

from __future__ import annotations

import pandas as pd


def settings_frame(settings: dict) -> pd.DataFrame:
    return pd.DataFrame({"setting": list(settings), "value": [str(v) for v in settings.values()]})


def settings_text(settings: dict) -> str:
    width = max(len(k) for k in settings)
    return "\n".join(f"  {k:<{width}} : {v}" for k, v in settings.items())
