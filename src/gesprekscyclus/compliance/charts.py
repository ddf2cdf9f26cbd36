"""Horizontal bar charts drawn on the server as SVG: no script, nothing to load, and the
same numbers always stand in a table next to the chart (WCAG 1.1.1 and 1.4.1: the chart
is an image with a text alternative, and colour never carries meaning on its own).

``bar_chart`` only computes geometry; ``compliance/chart.svg`` draws it."""

from __future__ import annotations

from dataclasses import dataclass

from .services import percent_text

# Rijkshuisstijl-like blue and green; both have a contrast of at least 3:1 on white.
SERIES_COLOURS = ("#01689b", "#39870c")


@dataclass
class Bar:
    label: str  # shown left of the first bar of its group
    value: float | None  # 0–100, or None for "nothing to count"
    text: str  # printed after the bar
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass
class Chart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    axis_x: float
    axis_width: float
    ticks: list[tuple[float, str]]
    legend: list[tuple[str, str, float]]  # (label, colour, x)


def bar_chart(
    title: str,
    groups: list[tuple[str, list[float | None]]],
    *,
    series: list[str] | None = None,
    width: int = 640,
    label_width: int = 190,
    bar_height: int = 18,
) -> Chart:
    """One group of bars per label, one bar per series, each a percentage."""
    axis_x = label_width
    axis_width = width - label_width - 60
    gap = 10
    legend_height = 24 if series and len(series) > 1 else 0
    bars = []
    y = legend_height + 4
    for label, values in groups:
        for index, value in enumerate(values):
            bars.append(
                Bar(
                    label=label if index == 0 else "",
                    value=value,
                    text=percent_text(value),
                    x=axis_x,
                    y=y,
                    width=0 if value is None else axis_width * max(0.0, min(value, 100.0)) / 100,
                    height=bar_height,
                    colour=SERIES_COLOURS[index % len(SERIES_COLOURS)],
                )
            )
            y += bar_height + 2
        y += gap
    height = int(y + 18)
    ticks = [(axis_x + axis_width * step / 4, f"{25 * step}%") for step in range(5)]
    legend = []
    if legend_height:
        x = float(axis_x)
        for index, name in enumerate(series or []):
            legend.append((name, SERIES_COLOURS[index % len(SERIES_COLOURS)], x))
            x += 24 + 8 * len(name)
    return Chart(
        title=title,
        width=width,
        height=height,
        bars=bars,
        axis_x=axis_x,
        axis_width=axis_width,
        ticks=ticks,
        legend=legend,
    )
