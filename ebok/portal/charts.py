"""The frame of the portal's SVG bar charts (a meter's consumption, the weather comparison).

Drawn in SVG user units; the SVG scales to the width of the page. A view computes its
bars and points inside the plot area and adds them to `frame(top)`, which holds what
every chart template draws alike: the size, the plot's edges and the y axis.
"""

from decimal import Decimal

CHART_W, CHART_H = 720, 300
PAD_L, PAD_R, PAD_T, PAD_B = 64, 12, 16, 36
PLOT_W, PLOT_H = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B
BOTTOM = PAD_T + PLOT_H  # the y of the x axis


def nice_max(value: Decimal) -> Decimal:
    """A round top for the y axis: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return Decimal(1)
    exp = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


def frame(top: Decimal) -> dict:
    """The chart's size, the plot's edges, where month labels go, and five y-axis ticks
    from 0 to `top`."""
    ticks = [
        {"y": f"{BOTTOM - Decimal(PLOT_H) * k / 4:.1f}", "value": top * k / 4} for k in range(5)
    ]
    return {
        "ticks": ticks,
        "width": CHART_W,
        "height": CHART_H,
        "plot_left": PAD_L,
        "plot_right": CHART_W - PAD_R,
        "bottom": BOTTOM,
        "label_y": BOTTOM + 20,
    }
