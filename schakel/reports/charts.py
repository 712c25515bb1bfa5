"""Bar charts as SVG made on the server: for the pages, the HTML report and the PDF.

Colours are presentation attributes (the CSP forbids style attributes); every
chart has a title and its figures stand in a table beside it. Hidden (small)
counts get no bar, only their mark.
"""

import base64

from django.utils.html import escape

BAR = "#154273"  # Rijkshuisstijl dark blue: 10:1 on white
INK = "#1a1a1a"
GRID = "#cccccc"
FONT = "DejaVu Sans, Arial, sans-serif"


def _fmt(row: dict, threshold: int) -> str:
    if row["s"] == "p":
        return f"< {threshold}"
    if row["s"] == "x":
        return "x"
    return f"{row['v']:,}".replace(",", ".")


def columns(rows: list[dict], *, title: str, threshold: int, width: int = 640,
            height: int = 220) -> str:
    """Vertical bars, e.g. signals per month. `rows`: [{"label", "v", "s"}]."""
    top, bottom, left = 24, 28, 8
    plot = height - top - bottom
    peak = max([r["v"] or 0 for r in rows if r["s"] == ""] + [1])
    step = (width - left * 2) / max(len(rows), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
             f'<title>{escape(title)}</title>',
             f'<line x1="{left}" y1="{top + plot}" x2="{width - left}" y2="{top + plot}" '
             f'stroke="{GRID}" stroke-width="1"/>']
    for i, r in enumerate(rows):
        x = left + i * step
        value = r["v"] if r["s"] == "" else 0
        h = plot * (value or 0) / peak
        if h:
            parts.append(f'<rect x="{x + step * 0.15:.1f}" y="{top + plot - h:.1f}" '
                         f'width="{step * 0.7:.1f}" height="{h:.1f}" fill="{BAR}"/>')
        parts.append(f'<text x="{x + step / 2:.1f}" y="{top + plot - h - 5:.1f}" '
                     f'text-anchor="middle" font-size="11" font-family="{FONT}" fill="{INK}">'
                     f'{escape(_fmt(r, threshold))}</text>')
        parts.append(f'<text x="{x + step / 2:.1f}" y="{height - 9}" text-anchor="middle" '
                     f'font-size="11" font-family="{FONT}" fill="{INK}">'
                     f'{escape(r["label"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bars(rows: list[dict], *, title: str, threshold: int, width: int = 640) -> str:
    """Horizontal bars with the label on the left, e.g. signals per form of exploitation."""
    row_h, label_w, right = 24, 230, 56
    height = row_h * len(rows) + 8
    peak = max([r["v"] or 0 for r in rows if r["s"] == ""] + [1])
    span = width - label_w - right
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
             f'<title>{escape(title)}</title>']
    for i, r in enumerate(rows):
        y = 4 + i * row_h
        value = r["v"] if r["s"] == "" else 0
        w = span * (value or 0) / peak
        label = r["label"] if len(r["label"]) <= 34 else r["label"][:33] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12" '
                     f'font-family="{FONT}" fill="{INK}">{escape(label)}</text>')
        if w:
            parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                         f'fill="{BAR}"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="12" '
                     f'font-family="{FONT}" fill="{INK}">{escape(_fmt(r, threshold))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def describe(rows: list[dict], *, title: str, threshold: int) -> str:
    """The chart in words, for its text alternative: the title, then every bar's figure."""
    return f"{title}: " + "; ".join(f"{r['label']} {_fmt(r, threshold)}" for r in rows) + "."


def as_image(svg: str, *, alt: str) -> str:
    """The chart as an image with its text alternative, for the PDF: WeasyPrint tags an
    <img> as a Figure carrying the alt text (an inline SVG it would leave untagged)."""
    data = base64.b64encode(svg.encode()).decode()
    return (f'<img class="chart" src="data:image/svg+xml;base64,{data}" '
            f'alt="{escape(alt)}">')
