"""Where a solution has been adopted, by UN M49 region: the groups its page lists and the chart that sums them up.

Pure: adoptions in (anything with `member.region`, `year` and `status`, as Adoption.objects.of_solution() reads
them), plain records out. The page reads its adoptions once and groups them here, so the grouping and the chart
add no query.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ssn4psi.regions import REGIONS

#: The label of the group of members whose country is in no M49 region (ssn4psi.regions leaves Antarctica out).
NO_REGION = _("No UN region")

#: The chart's drawing, in SVG user units: its width, the height of one region's row, of a bar and the text's size.
CHART_WIDTH = 320
CHART_ROW = 40
CHART_BAR = 12
CHART_TEXT = 13


@dataclass
class RegionAdoptions:
    """The adoptions of one solution in one M49 region, in the order they were read. `key` is the region's key
    ("asia"), "" for members in none."""

    key: str
    label: str
    adoptions: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.adoptions)

    @property
    def years(self):
        """(first, last) year recorded in this region, or None when no adoption has a year."""
        years = [adoption.year for adoption in self.adoptions if adoption.year]
        return (min(years), max(years)) if years else None

    @property
    def summary(self):
        """ "Asia: 3 adoptions, 2019–2023" in the active language: a bar's text and its text equivalent."""
        text = ngettext("%(region)s: %(count)d adoption", "%(region)s: %(count)d adoptions", self.count) % {
            "region": self.label,
            "count": self.count,
        }
        if self.years is None:
            return text
        first, last = self.years
        return f"{text}, {first}" if first == last else f"{text}, {first}–{last}"


@dataclass(frozen=True)
class ChartRow:
    """One region's bar: the group it draws, where its row starts (`y`) and how long its bar is (`width`)."""

    group: RegionAdoptions
    y: int
    width: int

    @property
    def text_y(self):
        return self.y + CHART_TEXT

    @property
    def bar_y(self):
        return self.y + CHART_TEXT + 6

    @property
    def rtl_x(self):
        """Where the bar starts when it grows from the right (right-to-left languages)."""
        return CHART_WIDTH - self.width


@dataclass(frozen=True)
class RegionChart:
    """Horizontal bars, one a region, as long as its share of the most adoptions in any region."""

    rows: tuple
    width: int = CHART_WIDTH
    bar_height: int = CHART_BAR
    text_size: int = CHART_TEXT

    @property
    def height(self):
        return len(self.rows) * CHART_ROW


def by_region(adoptions):
    """`adoptions` grouped by their member's M49 region: the regions in the M49 order (Africa, Americas, Asia,
    Europe, Oceania), members with no region last; regions without adoptions left out; each group's adoptions in
    the order given."""
    groups = {key: RegionAdoptions(key, label) for key, label in REGIONS}
    groups[""] = RegionAdoptions("", NO_REGION)
    for adoption in adoptions:
        region = adoption.member.region
        groups[region if region in groups else ""].adoptions.append(adoption)
    return [group for group in groups.values() if group.adoptions]


def region_chart(groups):
    """The chart of `groups` (by_region()): a bar a region, the longest as wide as the chart, none shorter than
    a few units so that one adoption still shows. None for fewer than two regions, where the table's one heading
    says all a single bar would."""
    if len(groups) < 2:
        return None
    most = max(group.count for group in groups)
    rows = tuple(
        ChartRow(group, y=index * CHART_ROW, width=max(4, round(CHART_WIDTH * group.count / most)))
        for index, group in enumerate(groups)
    )
    return RegionChart(rows)
