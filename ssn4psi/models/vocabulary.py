"""The shared vocabulary in the database: the UN SDG framework and the network's themes.

Goals, targets and indicators are loaded from ssn4psi/data/sdg/ by a migration; themes from
ssn4psi.vocabulary.THEMES. Titles are kept for every language the framework ships, and shown in the
active language with English as the fallback.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ssn4psi.vocabulary import THEME_LABELS, THEMES


def translated(titles, language=None):
    """The title in `language` (default: the active one), else its base language, else English."""
    language = language or get_language() or "en"
    return titles.get(language) or titles.get(language.split("-")[0]) or titles.get("en", "")


class SdgGoal(models.Model):
    """One of the 17 Sustainable Development Goals. Solutions and needs point at goals and targets."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    titles = models.JSONField(default=dict)
    short_titles = models.JSONField(default=dict)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG goal")
        verbose_name_plural = _("SDG goals")

    def __str__(self):
        return f"{self.code}. {self.short_title}"

    @property
    def code(self):
        return str(self.number)

    @property
    def title(self):
        return translated(self.titles)

    @property
    def short_title(self):
        return translated(self.short_titles) or self.title


class SdgTarget(models.Model):
    """A target of a goal, such as 16.6 "Develop effective, accountable and transparent institutions"."""

    code = models.CharField(max_length=8, unique=True)
    goal = models.ForeignKey(SdgGoal, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Sort order within the framework."))
    titles = models.JSONField(default=dict)

    class Meta:
        ordering = ["position"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self):
        return translated(self.titles)


class SdgIndicator(models.Model):
    """An indicator that measures a target, such as 16.9.1 (birth registration).

    Some indicators repeat under several targets with different codes; each code is its own row.
    """

    code = models.CharField(max_length=12, unique=True)
    target = models.ForeignKey(SdgTarget, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField(default=0)
    titles = models.JSONField(default=dict)

    class Meta:
        ordering = ["position"]
        verbose_name = _("SDG indicator")
        verbose_name_plural = _("SDG indicators")

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self):
        return translated(self.titles)


class Theme(models.Model):
    """A theme of public-service innovation (ssn4psi.vocabulary.THEMES), keyed as in the catalogue format."""

    key = models.SlugField(max_length=40, primary_key=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        return THEME_LABELS.get(self.key, self.key)

    @property
    def description(self):
        return next((description for key, _l, description in THEMES if key == self.key), "")
