"""Charts for the staff pages drawn on the server as inline SVG: no script, no library, so
the Content-Security-Policy stays strict and a chart prints and scales like an image
(``viewBox`` and ``width: 100%``). Every text is escaped through ``format_html``."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tandem.core.context import Channel
from tandem.core.money import format_amount, format_money

CHANNEL_COLOURS = {Channel.B2B.value: "#2563eb", Channel.B2C.value: "#f59e0b"}
BAR_COLOUR = "#2563eb"
CHART_ROWS = 15
LABEL_CHARACTERS = 60


def _short(text: str, limit: int = LABEL_CHARACTERS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(rows: Sequence[tuple[str, Decimal]], *, currency: str, title: str) -> SafeString:
    """Horizontal bars, the biggest first as given: each group's name above its bar and the
    amount at the bar's end; at most ``CHART_ROWS`` rows."""
    rows = list(rows)[:CHART_ROWS]
    width, row_height, bar_left, bar_width = 400, 34, 4, 280
    biggest = max((value for _label, value in rows), default=Decimal(0)) or Decimal(1)
    bars = []
    for n, (label, value) in enumerate(rows):
        top = n * row_height
        length = max(float(value / biggest) * bar_width, 1.0) if value > 0 else 0.0
        bars.append(
            format_html(
                "<g><title>{title}</title>"
                '<text x="{x}" y="{text_y}" font-size="12" fill="#0f172a">{label}</text>'
                '<rect x="{x}" y="{bar_y}" width="{length}" height="13" rx="2" fill="{colour}"></rect>'
                '<text x="{value_x}" y="{value_y}" font-size="11" fill="#334155">{amount}</text></g>',
                title=f"{label}: {format_money(value, currency)}",
                x=bar_left,
                text_y=top + 12,
                label=_short(label),
                bar_y=top + 16,
                length=f"{length:.1f}",
                colour=BAR_COLOUR,
                value_x=f"{bar_left + length + 4:.1f}",
                value_y=top + 27,
                amount=format_amount(value, currency),
            )
        )
    height = max(len(rows), 1) * row_height
    return format_html(
        '<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{title}" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">{bars}</svg>',
        width=width,
        height=height,
        title=title,
        bars=SafeString("".join(bars)),
    )


def daily_chart(
    days: Sequence[date], by_channel: dict[str, Sequence[Decimal]], *, currency: str, title: str
) -> SafeString:
    """Revenue per day as bars stacked by channel, with the highest day's amount on the axis,
    the first and last day under it and a legend of the channels."""
    width, height, left, top, plot_height = 720, 202, 4, 24, 150
    plot_width = width - left - 4
    count = max(len(days), 1)
    step = plot_width / count
    bar = max(step * 0.8, 0.5)
    channels = [channel for channel in Channel.values if channel in by_channel]
    per_day = [sum((by_channel[channel][n] for channel in channels), Decimal(0)) for n in range(len(days))]
    highest = max(per_day, default=Decimal(0)) or Decimal(1)
    scale = plot_height / float(highest)
    shapes = []
    for n, day in enumerate(days):
        base = top + plot_height
        for channel in channels:
            value = by_channel[channel][n]
            if value <= 0:
                continue
            size = float(value) * scale
            base -= size
            shapes.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}">'
                    "<title>{title}</title></rect>",
                    x=f"{left + n * step:.2f}",
                    y=f"{base:.2f}",
                    w=f"{bar:.2f}",
                    h=f"{size:.2f}",
                    colour=CHANNEL_COLOURS.get(channel, "#64748b"),
                    title=f"{date_format(day, 'SHORT_DATE_FORMAT')} · {Channel(channel).label}: "
                    f"{format_money(value, currency)}",
                )
            )
    legend = format_html_join(
        "",
        '<rect x="{}" y="2" width="12" height="14" fill="{}"></rect>'
        '<text x="{}" y="15" font-size="15" fill="#0f172a">{}</text>',
        (
            (left + 200 * n, CHANNEL_COLOURS[channel], left + 200 * n + 20, Channel(channel).label)
            for n, channel in enumerate(Channel.values)
        ),
    )
    axis_y = top + plot_height
    labels = format_html(
        '<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="#94a3b8"></line>'
        '<line x1="{left}" y1="{top}" x2="{right}" y2="{top}" stroke="#e2e8f0" stroke-dasharray="4 3"></line>'
        '<text x="{right}" y="15" font-size="15" text-anchor="end" fill="#334155">{highest}</text>'
        '<text x="{left}" y="{date_y}" font-size="15" fill="#334155">{first}</text>'
        '<text x="{right}" y="{date_y}" font-size="15" text-anchor="end" fill="#334155">{last}</text>',
        left=left,
        right=width - 4,
        axis=axis_y,
        top=top,
        highest=_("max. %(amount)s per day") % {"amount": format_money(highest, currency)},
        date_y=axis_y + 22,
        first=date_format(days[0], "SHORT_DATE_FORMAT") if days else "",
        last=date_format(days[-1], "SHORT_DATE_FORMAT") if days else "",
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{title}" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">{legend}{shapes}{labels}</svg>',
        width=width,
        height=height,
        title=title,
        legend=legend,
        shapes=SafeString("".join(shapes)),
        labels=labels,
    )
