"""Charts for print: the same Vega-Lite specs the browser draws, converted with vl-convert to
SVG (vector, for PDF and the standalone HTML) and from that to PNG (for Word).

A conversion costs about a tenth of a second, and a report has dozens of charts that rarely
change between builds (the board and public editions, each draft, PDF then Word). Converted
charts are therefore kept on disk, named by a hash of their spec and of the vl-convert
version: a spec that has not changed is never converted twice.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import vl_convert as vlc
from django.conf import settings

log = logging.getLogger(__name__)

FONT = "DejaVu Sans"
PRINT_CONFIG = {
    "font": FONT,
    "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 11, "titleFontSize": 11},
    # On paper a legend wraps into two columns and says every label whole: in one row it
    # was wider than the page and its labels were cut off with "…".
    "legend": {"labelFont": FONT, "titleFont": FONT, "columns": 2, "labelLimit": 0},
    "title": {"font": FONT},
    "view": {"stroke": None},
}


def _for_print(spec: dict[str, Any]) -> str:
    printable = dict(spec)
    config = dict(spec.get("config", {}))
    # Print in the fonts the PDF embeds, whatever the screen uses.
    for key, value in PRINT_CONFIG.items():
        config[key] = {**config.get(key, {}), **value} if isinstance(value, dict) else value
    printable["config"] = config
    printable.setdefault("background", "white")
    printable.pop("usermeta", None)
    if printable.get("width") == "container":
        printable["width"] = 460
    return json.dumps(printable, sort_keys=True)


def _cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "chart-cache"


def _key(spec_json: str, kind: str) -> str:
    version = getattr(vlc, "__version__", "")
    digest = hashlib.sha256(f"{version}\n{kind}\n{spec_json}".encode()).hexdigest()
    return f"{digest[:40]}.{kind}"


def _cached(spec_json: str, kind: str, make: Any) -> bytes:
    path = _cache_dir() / _key(spec_json, kind)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data: bytes = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole, then renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:  # a read-only disk only loses the cache
        log.warning("could not cache a chart in %s", path.parent, exc_info=True)
    return data


@lru_cache(maxsize=256)
def _svg(spec_json: str) -> str:
    return _cached(
        spec_json, "svg", lambda: vlc.vegalite_to_svg(vl_spec=spec_json).encode()
    ).decode()


@lru_cache(maxsize=256)
def _png(spec_json: str, scale: float) -> bytes:
    return _cached(
        spec_json, f"{scale:g}.png", lambda: vlc.svg_to_png(_svg(spec_json), scale=scale)
    )


def svg(spec: dict[str, Any]) -> str:
    text = _svg(_for_print(spec))
    # Drop the XML prolog so the SVG can sit inside HTML.
    return text[text.index("<svg") :] if "<svg" in text else text


def svg_data_uri(spec: dict[str, Any]) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(spec).encode()).decode()


def png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    return _png(_for_print(spec), scale)


def spec_id(spec: dict[str, Any]) -> str:
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode(), usedforsecurity=False)
    return "chart-" + digest.hexdigest()[:12]
