"""A small city to count by hand: two streets (A with communities A1, A2; B with B1, B2, B3)
and sessions of this year and last year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import CommunityFactory
from training import services
from training.pdf import text_pdf

THIS_YEAR = 2026
TODAY = dt.date(THIS_YEAR, 6, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def community_a2(street_a):
    return CommunityFactory(street=street_a, name="A2社区")


@pytest.fixture
def community_b2(street_b):
    return CommunityFactory(street=street_b, name="B2社区")


@pytest.fixture
def community_b3(street_b):
    return CommunityFactory(street=street_b, name="B3社区")


def make_session(bureau_user, date=dt.date(THIS_YEAR, 3, 20), topic="物业管理法律法规培训"):
    return services.session_save(
        user=bureau_user, topic=topic, date=date, organiser="市住建局物业科", place="三楼会议室"
    )


@pytest.fixture
def session(bureau_user):
    return make_session(bureau_user)


@pytest.fixture
def last_year_session(bureau_user):
    return make_session(bureau_user, date=dt.date(THIS_YEAR - 1, 4, 18), topic="去年的培训")


@pytest.fixture
def material(bureau_user, session):
    pdf = SimpleUploadedFile("handbook.pdf", text_pdf(["吉林市物业管理手册"]))
    return services.material_add(
        user=bureau_user, session=session, title="吉林市物业管理手册", file=pdf
    )
