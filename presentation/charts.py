"""Pictures for reports: relationships as bars coloured by status over time, with their facts as marks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import attrs
import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from domain.vocabulary import FORMAL_TIES, Certainty, RelationshipStatus
from events.values import FactKind, Modality, Period
from presentation.palette import STATUS_COLOURS
from projections.answers import RelationshipHistory

COLOURS = {status: STATUS_COLOURS.get(status) for status in RelationshipStatus}
MARKERS = {
    FactKind.RELATIONSHIP_ESTABLISHED: ("*", 11),
    FactKind.AGREEMENT_SIGNED: ("D", 6),
    FactKind.MEETING: ("o", 6),
    FactKind.VISIT: ("^", 7),
}

MARKED_SPAN_DAYS = 2 * 366


def _middle(edtf: str, start: date, end: date) -> date | None:
    """Where to mark a fact: the middle of its date, or nowhere if it is outside the chart or vaguer than two years."""
    period = Period.from_edtf(edtf)
    lo, hi = max(period.lower, start), min(period.upper, end)
    if lo > hi or (period.upper - period.lower).days > MARKED_SPAN_DAYS:
        return None
    return date.fromordinal((lo.toordinal() + hi.toordinal()) // 2)


def last_evidence(history: RelationshipHistory) -> date | None:
    """The last day the facts of a relationship that happened speak of: beyond it, a bar is an open end."""
    days = [Period.from_edtf(event.date).upper for event in history.events if event.modality is Modality.OCCURRED]
    return max(days, default=None)


@attrs.frozen(kw_only=True)
class Segment:
    """One stretch of a relationship's bar: its status, whether only possible, whether beyond the evidence."""

    start: date
    end: date
    status: RelationshipStatus
    possible: bool
    open_end: bool


def segments(history: RelationshipHistory, start: date) -> list[Segment]:
    """A relationship's bar as drawn: solid up to the last day its facts speak of, an open end after it;
    statuses without a colour (no tie known) are not drawn."""
    evidenced_until = last_evidence(history) or start
    drawn: list[Segment] = []
    for period in history.periods:
        if COLOURS[period.status] is None:
            continue
        possible = period.certainty is Certainty.POSSIBLE
        solid_end = min(period.end, evidenced_until)
        if solid_end >= period.start:
            drawn.append(
                Segment(start=period.start, end=solid_end, status=period.status, possible=possible, open_end=False)
            )
        open_start = max(period.start, evidenced_until + timedelta(days=1))
        if open_start <= period.end:
            drawn.append(
                Segment(start=open_start, end=period.end, status=period.status, possible=possible, open_end=True)
            )
    return drawn


def _label(history: RelationshipHistory, focus: str | None) -> str:
    """The partner's name when the chart is about one actor, else both names."""
    if focus in history.parties:
        return history.names[1] if history.parties[0] == focus else history.names[0]
    return f"{history.names[0]} – {history.names[1]}"


def draw_relationships(
    histories: Sequence[RelationshipHistory],
    *,
    start: date,
    end: date,
    title: str,
    output: Path,
    focus: str | None = None,
) -> None:
    """One bar per relationship: coloured by status, hatched where only possible, facts as marks.

    With ``focus`` (an actor's canonical id), each row is labelled by the partner's name alone."""
    ordered = sorted(
        histories,
        key=lambda history: (history.periods[0].start if history.periods else end, _label(history, focus)),
    )
    height = max(3.5, 0.45 * len(ordered) + 2.6)
    figure, axes = plt.subplots(figsize=(11, height))
    for row, history in enumerate(reversed(ordered)):
        for segment in segments(history, start):
            colour = COLOURS[segment.status]
            width = (segment.end - segment.start).days + 1
            left = mdates.date2num(segment.start)
            if segment.open_end:
                formal = segment.status in FORMAL_TIES
                axes.barh(
                    row,
                    width,
                    left=left,
                    height=0.6,
                    color=colour if formal else "none",
                    alpha=0.3 if formal else 1.0,
                    edgecolor=colour,
                    linestyle=":",
                    linewidth=1.0,
                )
            else:
                axes.barh(
                    row,
                    width,
                    left=left,
                    height=0.6,
                    color=colour,
                    alpha=0.45 if segment.possible else 0.95,
                    hatch="//" if segment.possible else None,
                    edgecolor=colour if segment.possible else "white",
                    linewidth=0.5,
                )
        for event in history.events:
            middle = _middle(event.date, start, end)
            if middle is None:
                continue
            marker, size = MARKERS.get(event.kind, (".", 6))
            planned = event.modality is not Modality.OCCURRED
            axes.plot(
                mdates.date2num(middle),
                row,
                marker=marker,
                markersize=size,
                linestyle="none",
                markerfacecolor="white" if planned else "#222222",
                markeredgecolor="#222222",
                markeredgewidth=0.8,
                zorder=3,
            )
    axes.set_yticks(range(len(ordered)))
    axes.set_yticklabels([_label(history, focus) for history in reversed(ordered)], fontsize=9)
    axes.set_xlim(mdates.date2num(start), mdates.date2num(end))
    axes.xaxis.set_major_locator(mdates.YearLocator(base=4 if (end.year - start.year) > 16 else 2))
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_title(title, loc="left", fontsize=12, fontweight="bold")
    legend: list[Patch | Line2D] = [
        Patch(facecolor=colour, label=str(status)) for status, colour in COLOURS.items() if colour
    ]
    legend.append(Patch(facecolor="#cccccc", hatch="//", alpha=0.5, label="possible (imprecise date)"))
    legend.append(Patch(facecolor="#eeeeee", edgecolor="#666666", linestyle=":", label="open end: no later evidence"))
    legend.extend(
        Line2D(
            [],
            [],
            marker=marker,
            linestyle="none",
            markersize=size * 0.8,
            color="#222222",
            label=str(kind).replace("_", " "),
        )
        for kind, (marker, size) in MARKERS.items()
    )
    legend.append(
        Line2D(
            [], [], marker="o", linestyle="none", markerfacecolor="white", markeredgecolor="#222222", label="planned"
        )
    )
    columns = 4
    legend_inches = 0.25 * -(-len(legend) // columns) + 0.45
    figure.legend(
        handles=legend, loc="lower center", bbox_to_anchor=(0.5, 0.25 / height), ncol=columns, fontsize=8, frameon=False
    )
    figure.text(
        0.01,
        0.08 / height,
        "Source: Paradip, facts cited to their sources; bars show status by valid time; facts dated only to a span of "
        "more than two years are not marked.",
        fontsize=7,
        color="#666666",
    )
    figure.tight_layout(rect=(0, legend_inches / height, 1, 1))
    figure.savefig(output, dpi=150)
    plt.close(figure)
