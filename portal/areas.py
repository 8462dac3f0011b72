"""Administrative areas found by name, and created when new (imports name them, not ids)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .models import Community, District, Street, User
from .services import record_save

AreaNames = tuple[str, str, str]  # (district, street, community)


@transaction.atomic
def district_get_or_create(*, user: User | None, name: str) -> District:
    district = District.objects.filter(name=name).first()
    return district or record_save(District(name=name), user=user)


@transaction.atomic
def street_get_or_create(*, user: User | None, district: District, name: str) -> Street:
    street = Street.objects.filter(district=district, name=name).first()
    return street or record_save(Street(district=district, name=name), user=user)


@transaction.atomic
def community_get_or_create(*, user: User | None, street: Street, name: str) -> Community:
    community = Community.objects.filter(street=street, name=name).first()
    return community or record_save(Community(street=street, name=name), user=user)


class AreaResolver:
    """Communities by (district, street, community) names: loaded in bulk, created on demand."""

    def __init__(self, *, user: User | None = None) -> None:
        self.user = user
        self._communities: dict[AreaNames, Community] = {}

    def preload(self, names: Iterable[AreaNames]) -> None:
        wanted = {triple for triple in names if all(triple)}
        community_names = sorted({community for _d, _s, community in wanted})
        for start in range(0, len(community_names), 500):
            chunk = community_names[start : start + 500]
            for community in Community.objects.select_related("street__district").filter(
                name__in=chunk
            ):
                triple = (community.street.district.name, community.street.name, community.name)
                if triple in wanted:
                    self._communities[triple] = community

    def find(self, names: AreaNames) -> Community | None:
        """The community if it exists (among those preloaded); never writes."""
        return self._communities.get(names)

    def get_or_create(self, names: AreaNames) -> Community:
        community = self._communities.get(names)
        if community is None:
            district_name, street_name, community_name = names
            district = district_get_or_create(user=self.user, name=district_name)
            street = street_get_or_create(user=self.user, district=district, name=street_name)
            community = community_get_or_create(user=self.user, street=street, name=community_name)
            self._communities[names] = community
        return community
