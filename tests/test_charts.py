"""The funnel chart: a real PNG of the right shape, with Norwegian letters drawn as letters."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from bot.pipeline.chart import BAR_HEIGHT, GAP, MARGIN, Bar, font, funnel_png

BARS = [Bar("Leads", 12), Bar("Prospekter", 5), Bar("Kunder", 3), Bar("Gjenkjøpere", 0)]


def opened(data: bytes) -> Image.Image:
    Image.open(io.BytesIO(data)).verify()
    return Image.open(io.BytesIO(data))


def test_the_funnel_is_a_png_one_band_per_stage() -> None:
    image = opened(funnel_png("Salgstrakten din", BARS, ["42 % ble prospekter", None]))
    three = opened(funnel_png("Pipeline", BARS[:3]))

    assert image.format == "PNG"
    assert image.width == three.width == 900
    assert image.height > three.height


def test_a_funnel_of_zeros_still_draws() -> None:
    image = opened(funnel_png("Pipeline", [Bar("Leads", 0), Bar("Prospects", 0)]))
    assert image.getbbox() is not None


def test_bars_are_as_wide_as_their_counts() -> None:
    """The widest bar spans the drawing area; a smaller count draws a narrower bar."""
    image = opened(funnel_png("", [Bar("", 10), Bar("", 5)])).convert("RGB")
    first_top = MARGIN + 60
    row_of = {0: first_top + 12, 1: first_top + BAR_HEIGHT + GAP + 12}  # above the count

    def width(row: int) -> int:
        return sum(1 for x in range(image.width) if image.getpixel((x, row)) != (255, 255, 255))

    assert width(row_of[0]) > 1.8 * width(row_of[1])


def _drawn(text: str) -> Image.Image:
    canvas = Image.new("L", (80, 60), 0)
    ImageDraw.Draw(canvas).text((10, 10), text, font=font(30), fill=255)
    return canvas


def test_norwegian_letters_are_drawn_not_boxes() -> None:
    drawing = font(30)
    if not isinstance(drawing, ImageFont.FreeTypeFont) or drawing.getname()[0] != "DejaVu Sans":
        message = "DejaVu Sans is not installed (apt: fonts-dejavu-core)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    missing = _drawn("\uffff")  # a code point no font has: the "missing glyph" box
    for letter in "æøåÆØÅ":
        assert ImageChops.difference(_drawn(letter), missing).getbbox() is not None, letter
