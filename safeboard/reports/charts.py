"""Charts for print: the same Vega-Lite specs the browser draws, converted with vl-convert to
SVG (vector, for PDF and the standalone HTML) or PNG (for Word). Conversions are cached by spec."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from typing import Any

import vl_convert as vlc

PRINT_CONFIG = {
    "font": "DejaVu Sans",
    "axis": {
        "labelFont": "DejaVu Sans",
        "titleFont": "DejaVu Sans",
        "labelFontSize": 11,
        "titleFontSize": 11,
    },
    "legend": {"labelFont": "DejaVu Sans", "titleFont": "DejaVu Sans"},
    "title": {"font": "DejaVu Sans"},
    "view": {"stroke": None},
}


def _for_print(spec: dict[str, Any]) -> str:
    printable = dict(spec)
    printable["config"] = {**PRINT_CONFIG, **spec.get("config", {})}
    printable.setdefault("background", "white")
    return json.dumps(printable, sort_keys=True)


@lru_cache(maxsize=512)
def _svg(spec_json: str) -> str:
    return vlc.vegalite_to_svg(vl_spec=spec_json)


@lru_cache(maxsize=256)
def _png(spec_json: str, scale: float) -> bytes:
    return vlc.vegalite_to_png(vl_spec=spec_json, scale=scale)


def svg(spec: dict[str, Any]) -> str:
    text = _svg(_for_print(spec))
    # Drop the XML prolog so the SVG can sit inside HTML.
    return text[text.index("<svg") :] if "<svg" in text else text


def svg_data_uri(spec: dict[str, Any]) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(spec).encode()).decode()


def png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    return _png(_for_print(spec), scale)


def spec_id(spec: dict[str, Any]) -> str:
    return (
        "chart-"
        + hashlib.sha1(
            json.dumps(spec, sort_keys=True).encode(),
            usedforsecurity=False,
        ).hexdigest()[:12]
    )
