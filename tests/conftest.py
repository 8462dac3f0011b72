"""The people every scope test needs: for each role, the owner of a scope, a colleague
in the same scope, and an outsider (the same role elsewhere)."""

from __future__ import annotations

import pytest

from portal.choices import Role

from .factories import (
    CommunityFactory,
    CompoundFactory,
    FirmFactory,
    StreetFactory,
    UserFactory,
)


@pytest.fixture
def street_a(db):
    return StreetFactory(name="东街道")


@pytest.fixture
def street_b(db):
    return StreetFactory(name="西街道")


@pytest.fixture
def community_a(street_a):
    return CommunityFactory(street=street_a, name="东一社区")


@pytest.fixture
def community_b(street_b):
    return CommunityFactory(street=street_b, name="西一社区")


@pytest.fixture
def firm_a(db):
    return FirmFactory(name="东方物业服务有限公司")


@pytest.fixture
def firm_b(db):
    return FirmFactory(name="西山物业服务有限公司")


@pytest.fixture
def compound_a(community_a, firm_a):
    """A compound of street A, community A, served by firm A."""
    return CompoundFactory(community=community_a, firm=firm_a, name="东苑小区")


@pytest.fixture
def compound_b(community_b, firm_b):
    """A compound of street B, community B, served by firm B."""
    return CompoundFactory(community=community_b, firm=firm_b, name="西苑小区")


@pytest.fixture
def bureau_user(db):
    return UserFactory(role=Role.BUREAU, username="bureau")


@pytest.fixture
def association_user(db):
    return UserFactory(role=Role.ASSOCIATION, username="association")


@pytest.fixture
def street_officer(street_a):
    return UserFactory(role=Role.STREET, street=street_a, username="street_a")


@pytest.fixture
def street_colleague(street_a):
    return UserFactory(role=Role.STREET, street=street_a, username="street_a2")


@pytest.fixture
def other_street_officer(street_b):
    return UserFactory(role=Role.STREET, street=street_b, username="street_b")


@pytest.fixture
def community_officer(community_a):
    return UserFactory(role=Role.COMMUNITY, community=community_a, username="community_a")


@pytest.fixture
def other_community_officer(community_b):
    return UserFactory(role=Role.COMMUNITY, community=community_b, username="community_b")


@pytest.fixture
def firm_user(firm_a):
    return UserFactory(role=Role.FIRM, firm=firm_a, username="firm_a")


@pytest.fixture
def other_firm_user(firm_b):
    return UserFactory(role=Role.FIRM, firm=firm_b, username="firm_b")


@pytest.fixture
def committee_user(compound_a):
    return UserFactory(role=Role.OWNERS_COMMITTEE, compound=compound_a, username="committee_a")


@pytest.fixture
def other_committee_user(compound_b):
    return UserFactory(role=Role.OWNERS_COMMITTEE, compound=compound_b, username="committee_b")


@pytest.fixture
def client_of(client):
    """Sign the test client in as a given user: `client_of(street_officer).get(...)`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
