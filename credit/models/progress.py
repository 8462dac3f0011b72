"""The assessment progress kept per community, so that a country's progress reads as fast as
a street's (issue 14).

The database marks every community whose figures a write may change (a trigger on the
assessments and on the compounds, see migration 0012), whoever writes: the scoring grid, an
import, a factory in a test, COPY. The reader recounts the marked communities before it reads
(`credit.progress.tallies_refresh`), so the figures are always those of the committed rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AssessorRole


class CommunityToAssess(models.Model):
    """The compounds of a community with a managing firm: what its officers are to assess."""

    community = models.OneToOneField(
        "portal.Community",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="to_assess",
        verbose_name=_("community"),
    )
    compounds = models.PositiveIntegerField(_("compounds"))

    class Meta:
        verbose_name = _("compounds to assess of a community")
        verbose_name_plural = _("compounds to assess of the communities")

    def __str__(self) -> str:
        return f"{self.community_id}: {self.compounds}"


class CommunityAssessed(models.Model):
    """The compounds of a community (with a managing firm) that `assessor_role` scored in
    `year`, on any indicator."""

    year = models.PositiveSmallIntegerField(_("year"))
    community = models.ForeignKey(
        "portal.Community",
        on_delete=models.CASCADE,
        related_name="assessed_counts",
        verbose_name=_("community"),
    )
    assessor_role = models.CharField(_("assessor"), max_length=20, choices=AssessorRole.choices)
    compounds = models.PositiveIntegerField(_("compounds"))

    class Meta:
        verbose_name = _("compounds assessed of a community")
        verbose_name_plural = _("compounds assessed of the communities")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "assessor_role", "community"], name="community_assessed_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.assessor_role} {self.community_id}: {self.compounds}"


class ProgressMark(models.Model):
    """A write that may change a community's figures, not recounted yet (written by the
    database's triggers; deleted by the recount)."""

    community_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("progress mark")
        verbose_name_plural = _("progress marks")

    def __str__(self) -> str:
        return str(self.community_id)
