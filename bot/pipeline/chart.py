"""The funnel chart sent with /pipeline: a PNG drawn with Pillow.

Pillow's bundled font (`ImageFont.load_default(size=...)`, Aileron) exists everywhere but
covers ASCII only: "Gjenkjøpere" would show a box for the ø. So DejaVu Sans is used where
the system has it (Debian's fonts-dejavu-core; the Dockerfile installs it) and the bundled
font only as the fallback. Texts come in already translated; this module only draws.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

WIDTH = 900
MARGIN = 40
LABEL_WIDTH = 250
BAR_HEIGHT = 70
GAP = 46  # between bars, where the conversion rate is written
MIN_BAR = 84  # room for a four-digit count
BACKGROUND = (255, 255, 255)
INK = (33, 37, 41)
MUTED = (108, 117, 125)
BAR_COLOURS = ((66, 133, 244), (52, 168, 200), (46, 160, 110), (30, 120, 80))
FONT_FILES = ("DejaVuSans.ttf",)  # found by name in the system's font folders
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class Bar:
    """One stage of the funnel: its name and how many contacts are in it."""

    label: str
    count: int


@cache
def font(size: int) -> Font:
    """A scalable font with Norwegian letters when the system has one, else Pillow's own."""
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def funnel_png(title: str, bars: Sequence[Bar], steps: Sequence[str | None] = ()) -> bytes:
    """The funnel as PNG bytes; `steps[i]` is written between bar i and bar i + 1."""
    height = MARGIN * 2 + 60 + len(bars) * BAR_HEIGHT + max(len(bars) - 1, 0) * GAP
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    title_font = font(34)
    label_font = font(26)
    count_font = font(30)
    step_font = font(22)
    draw.text((MARGIN, MARGIN), title, font=title_font, fill=INK)
    area_left, area_right = MARGIN + LABEL_WIDTH, WIDTH - MARGIN
    centre, widest = (area_left + area_right) / 2, area_right - area_left
    largest = max((bar.count for bar in bars), default=0) or 1
    top = MARGIN + 60
    for index, bar in enumerate(bars):
        width = max(MIN_BAR, widest * bar.count / largest)
        box = (centre - width / 2, top, centre + width / 2, top + BAR_HEIGHT)
        draw.rounded_rectangle(box, radius=10, fill=BAR_COLOURS[index % len(BAR_COLOURS)])
        middle = top + BAR_HEIGHT / 2
        draw.text((MARGIN, middle), bar.label, font=label_font, fill=INK, anchor="lm")
        draw.text((centre, middle), str(bar.count), font=count_font, fill="white", anchor="mm")
        step = steps[index] if index < len(steps) else None
        if step and index < len(bars) - 1:
            draw.text(
                (centre, top + BAR_HEIGHT + GAP / 2), step, font=step_font, fill=MUTED, anchor="mm"
            )
        top += BAR_HEIGHT + GAP
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
