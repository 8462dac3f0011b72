"""The assessment progress is kept per community (issue 14): the database marks the community
of every written assessment and compound, whoever writes, and the next read recounts the
marked communities. The kept figures always equal a count of the rows themselves."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count

from companies.models import Management
from credit import progress
from credit.models import CommunityAssessed, CommunityToAssess, ProgressMark
from portal import kept as kept_figures
from tests.factories import CommunityFactory, CompoundFactory, FirmFactory

from .helpers import assess, indicator

YEAR = 2024


def kept() -> dict:
    """Community id -> (compounds to assess, {role: assessed}) as kept, after a recount."""
    progress.tallies_refresh()
    assessed: dict[int, dict[str, int]] = {}
    for row in CommunityAssessed.objects.filter(year=YEAR, compounds__gt=0):
        assessed.setdefault(row.community_id, {})[row.assessor_role] = row.compounds
    return {
        row.pk: (row.compounds, assessed.get(row.pk, {}))
        for row in CommunityToAssess.objects.filter(compounds__gt=0)
    }


def counted() -> dict:
    """The same, counted from the compounds and the assessments themselves."""
    from companies.models import Compound

    figures = {}
    for community_id, n in (
        Compound.objects.filter(firm__isnull=False)
        .values_list("community_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_role = {}
        for role in ("street", "community", "bureau"):
            scored = Compound.objects.filter(
                community_id=community_id,
                firm__isnull=False,
                assessments__year=YEAR,
                assessments__assessor_role=role,
            ).distinct()
            if scored.exists():
                by_role[role] = scored.count()
        figures[community_id] = (n, by_role)
    return figures


def test_every_write_marks_its_community_and_the_next_read_recounts_it(compound_a, compound_b):
    assert kept() == counted()
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", 80)
    assert ProgressMark.objects.filter(community_id=compound_a.community_id).exists()
    assert kept()[compound_a.community_id] == (1, {"street": 1})
    assert not ProgressMark.objects.exists()  # the read recounted them
    assert kept() == counted()


def test_a_compound_moved_or_left_without_a_firm_is_recounted_in_both_communities(
    compound_a, compound_b
):
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", 80)
    compound_a.community = compound_b.community
    compound_a.save()
    assert kept() == counted()
    assert compound_a.community_id == compound_b.community_id
    assert kept()[compound_b.community_id] == (2, {"street": 1})
    compound_b.firm = None
    compound_b.save()
    assert kept() == counted()
    assert kept()[compound_a.community_id] == (1, {"street": 1})


def test_a_new_score_of_a_scored_cell_marks_nothing(compound_a):
    row = assess(YEAR, compound_a, compound_a.firm, "quality", "street", 80)
    kept()
    row.score = 90
    row.save()
    assert not ProgressMark.objects.exists()


def test_removed_assessments_and_compounds_are_counted_out(compound_a, compound_b):
    row = assess(YEAR, compound_a, compound_a.firm, "quality", "bureau", 80)
    assess(YEAR, compound_b, compound_b.firm, "quality", "bureau", 70)
    extra = CompoundFactory(community=compound_a.community)
    assert kept()[compound_a.community_id] == (2, {"bureau": 1})
    row.delete()
    Management.objects.filter(compound=extra).delete()
    extra.delete()
    assert kept() == counted()
    assert kept()[compound_a.community_id] == (1, {})


def test_many_writes_in_many_communities_keep_equal_to_the_rows(db, monkeypatch):
    """More communities than one recount takes, scored by three roles, some moved."""
    monkeypatch.setattr(kept_figures, "MARKS_PER_RECOUNT", 7)
    firm = FirmFactory()
    compounds = [
        CompoundFactory(community=CommunityFactory(), firm=firm if i % 5 else None)
        for i in range(20)
    ]
    for i, compound in enumerate(compounds):
        if compound.firm_id:
            for role in ("street", "community", "bureau")[: 1 + i % 3]:
                assess(YEAR, compound, firm, "quality", role, 60 + i)
    compounds[3].community = compounds[4].community
    compounds[3].save()
    assert kept() == counted()


def test_the_workbench_count_reads_the_kept_figures_in_fixed_queries(
    bureau_user, compound_a, django_assert_num_queries
):
    progress.compounds_to_assess(user=bureau_user, role="bureau", years=[YEAR])
    with django_assert_num_queries(3):  # the marks, the compounds to assess, the assessed
        assert progress.compounds_to_assess(user=bureau_user, role="bureau", years=[YEAR]) == {
            YEAR: 1
        }
    for _ in range(5):
        CompoundFactory(community=CommunityFactory())
    progress.tallies_refresh()
    with django_assert_num_queries(3):
        assert progress.compounds_to_assess(user=bureau_user, role="bureau", years=[YEAR]) == {
            YEAR: 6
        }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers")
def test_the_triggers_exist_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'credit_progress_%%' ORDER BY 1"
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "credit_progress_assessment",
            "credit_progress_assessment_moved",
            "credit_progress_compound",
            "credit_progress_compound_moved",
        ]


def test_the_area_of_an_officer_counts_its_own_communities_only(
    street_officer, compound_a, compound_b
):
    CompoundFactory(community=compound_a.community)
    assert progress.compounds_to_assess(user=street_officer, role="street", years=[YEAR]) == {
        YEAR: 2
    }
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", 80)
    assess(YEAR, compound_b, compound_b.firm, "quality", "street", 80)  # another street's
    assert progress.compounds_to_assess(user=street_officer, role="street", years=[YEAR]) == {
        YEAR: 1
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once")
@pytest.mark.django_db(transaction=True)
def test_a_write_not_committed_during_a_recount_is_counted_by_the_next(compound_a):
    """The recount deletes only the marks it saw: the mark of a write still in its transaction
    stays, and the next read counts that write once it is committed."""
    import psycopg2

    progress.tallies_refresh()
    indicator("quality")  # a transactional test before this one may have emptied the table
    settings_ = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings_["NAME"],
        user=settings_["USER"],
        host=settings_["HOST"],
        port=settings_["PORT"] or 5432,
        password=settings_["PASSWORD"] or None,
    )
    try:
        with other.cursor() as cursor:  # the other officer's save, not committed yet
            cursor.execute(
                "INSERT INTO credit_assessment (year, compound_id, firm_id, indicator_id,"
                " assessor_role, score, created_at, updated_at)"
                " SELECT %s, %s, %s, id, 'street', 80, now(), now() FROM credit_indicator"
                " WHERE code = 'quality'",
                [YEAR, compound_a.pk, compound_a.firm_id],
            )
        assess(YEAR, compound_a, compound_a.firm, "quality", "community", 70)
        assert kept()[compound_a.community_id] == (1, {"community": 1})
        other.commit()
    finally:
        other.close()
    assert kept()[compound_a.community_id] == (1, {"community": 1, "street": 1})
    assert kept() == counted()


def test_a_rebuild_in_one_pass_counts_what_the_recounts_count(compound_a, compound_b):
    """The migration's and the benches' rebuild, for rows loaded with the triggers off."""
    assess(YEAR, compound_a, compound_a.firm, "quality", "street", 80)
    assess(YEAR, compound_b, compound_b.firm, "quality", "bureau", 80)
    CompoundFactory(community=compound_a.community, firm=None)
    recounted = kept()
    progress.tallies_rebuild()
    assert not ProgressMark.objects.exists()
    assert kept() == recounted == counted()
