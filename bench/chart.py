"""A horizontal bar chart as a PNG, in pure Python (zlib + a 5x7 pixel font): no plotting library.

Text is drawn in capitals; characters outside the font are drawn as '?'.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

Color = tuple[int, int, int]

# 5x7 glyphs: seven rows, the five low bits of each row from left (0x10) to right (0x01).
FONT: dict[str, tuple[int, ...]] = {
    "A": (0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11),
    "B": (0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E),
    "C": (0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E),
    "D": (0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C),
    "E": (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F),
    "F": (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10),
    "G": (0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F),
    "H": (0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11),
    "I": (0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E),
    "J": (0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C),
    "K": (0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11),
    "L": (0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F),
    "M": (0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11),
    "N": (0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11),
    "O": (0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
    "P": (0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10),
    "Q": (0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D),
    "R": (0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11),
    "S": (0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E),
    "T": (0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04),
    "U": (0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
    "V": (0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04),
    "W": (0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A),
    "X": (0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11),
    "Y": (0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04),
    "Z": (0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F),
    "0": (0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E),
    "1": (0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E),
    "2": (0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F),
    "3": (0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E),
    "4": (0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02),
    "5": (0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E),
    "6": (0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E),
    "7": (0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08),
    "8": (0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E),
    "9": (0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C),
    " ": (0, 0, 0, 0, 0, 0, 0),
    ".": (0, 0, 0, 0, 0, 0x0C, 0x0C),
    ",": (0, 0, 0, 0, 0x0C, 0x04, 0x08),
    ":": (0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0),
    "-": (0, 0, 0, 0x1F, 0, 0, 0),
    "+": (0, 0x04, 0x04, 0x1F, 0x04, 0x04, 0),
    "=": (0, 0, 0x1F, 0, 0x1F, 0, 0),
    "/": (0, 0x01, 0x02, 0x04, 0x08, 0x10, 0),
    "(": (0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02),
    ")": (0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08),
    "%": (0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03),
    "_": (0, 0, 0, 0, 0, 0, 0x1F),
    "?": (0x0E, 0x11, 0x01, 0x02, 0x04, 0, 0x04),
}
WHITE: Color = (255, 255, 255)
INK: Color = (33, 37, 41)
GRID: Color = (222, 226, 230)
TARGET: Color = (214, 51, 132)


class Canvas:
    def __init__(self, width: int, height: int, background: Color = WHITE) -> None:
        self.width = width
        self.height = height
        self.pixels = bytearray(bytes(background) * (width * height))

    def rect(self, x: int, y: int, w: int, h: int, color: Color) -> None:
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(self.width, x + w), min(self.height, y + h)
        if x1 <= x0:
            return
        line = bytes(color) * (x1 - x0)
        for row in range(y0, y1):
            start = (row * self.width + x0) * 3
            self.pixels[start : start + len(line)] = line

    def text(self, x: int, y: int, text: str, color: Color = INK, scale: int = 2) -> int:
        """Draw text with its top-left corner at (x, y); returns the x after it."""
        for char in text.upper():
            for row, bits in enumerate(FONT.get(char, FONT["?"])):
                for col in range(5):
                    if bits & (0x10 >> col):
                        self.rect(x + col * scale, y + row * scale, scale, scale, color)
            x += 6 * scale
        return x

    def png(self) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        stride = self.width * 3
        raw = b"".join(
            b"\x00" + bytes(self.pixels[row * stride : (row + 1) * stride]) for row in range(self.height)
        )
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


def text_width(text: str, scale: int = 2) -> int:
    return len(text) * 6 * scale


def bar_chart(
    path: Path,
    *,
    title: str,
    subtitle: str,
    bars: list[tuple[str, float, str, Color]],
    markers: list[tuple[float, str]] | None = None,
) -> None:
    """Bars (label, value, annotation, color), longest = widest, with optional vertical markers."""
    scale, row, pad = 2, 34, 16
    label_w = max(text_width(label, scale) for label, *_ in bars) + pad
    note_w = max(text_width(note, scale) for _, _, note, _ in bars) + pad
    plot_w = 520
    width = pad + label_w + plot_w + note_w + pad
    top = pad + 7 * scale + 10 + 7 * scale + 24
    height = top + row * len(bars) + 7 * scale + 2 * pad
    canvas = Canvas(width, height)
    canvas.text(pad, pad, title, INK, scale)
    canvas.text(pad, pad + 7 * scale + 10, subtitle, (108, 117, 125), scale)
    left = pad + label_w
    peak = max((value for _, value, _, _ in bars), default=0) or 1.0
    for tick in range(5):
        x = left + plot_w * tick // 4
        canvas.rect(x, top - 6, 1, row * len(bars) + 6, GRID)
    for i, (label, value, note, color) in enumerate(bars):
        y = top + i * row
        canvas.text(left - pad - text_width(label, scale), y + 10, label, INK, scale)
        w = round(plot_w * value / peak)
        canvas.rect(left, y + 5, max(w, 1), row - 10, color)
        canvas.text(left + w + 8, y + 10, note, INK, scale)
    for value, label in markers or []:
        x = left + round(plot_w * value / peak)
        for y in range(top - 6, top + row * len(bars), 6):
            canvas.rect(x, y, 2, 3, TARGET)
        canvas.text(x + 4, top + row * len(bars) + 4, label, TARGET, scale)
    path.write_bytes(canvas.png())
