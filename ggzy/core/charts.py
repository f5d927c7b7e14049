"""Server-rendered SVG bar charts for the figures pages and their PDFs (no script:
the admin's CSP and WeasyPrint both take plain SVG). Each point is one period
(a month), each series a bar beside the others."""

from __future__ import annotations

from collections.abc import Sequence


def bar_chart(
    points: Sequence[dict],
    series: Sequence[tuple[str, str, object]],
    *,
    label: str = "month",
    label_format: str = "%m",
    width: int = 600,
    height: int = 180,
) -> dict:
    """``series``: (key in each point, colour, legend label). Coordinates for
    ``core/includes/bar_chart_svg.html``."""
    left, bottom, top = 30, 24, 10
    peak = max([1, *(p[key] for p in points for key, _c, _l in series)])
    slot = (width - left - 10) / max(len(points), 1)
    bar = max(slot / len(series) - 3, 2) if series else 2
    plot_h = height - top - bottom
    bars = []
    for index, point in enumerate(points):
        x = left + index * slot
        for n, (key, colour, _legend) in enumerate(series):
            h = round(plot_h * point[key] / peak, 1)
            bars.append(
                {
                    "x": round(x + n * (bar + 1), 1),
                    "y": round(top + plot_h - h, 1),
                    "w": round(bar, 1),
                    "h": h,
                    "kind": key,
                    "colour": colour,
                    "value": point[key],
                }
            )
    labels = [
        {"x": round(left + i * slot + bar * len(series) / 2, 1), "text": format(p[label], label_format)}
        for i, p in enumerate(points)
    ]
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "labels": labels,
        "peak": peak,
        "label_y": height - 6,
        "legend": [(colour, legend) for _key, colour, legend in series],
    }
