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

    def ensure(self, names: Iterable[AreaNames]) -> None:
        """Create in bulk the districts, streets and communities among `names` that do not
        exist yet (a few queries per level, not a few per community), so that
        `get_or_create` then finds every one of them without writing. Validated in memory
        as `record_save` does; the unique constraints are the database's."""
        wanted = {triple for triple in names if all(triple)} - self._communities.keys()
        self.preload(wanted)
        wanted -= self._communities.keys()
        if not wanted:
            return
        districts = _bulk_get_or_create(
            District.objects.filter(name__in={d for d, _s, _c in wanted}),
            lambda d: d.name,
            {d: District(name=d) for d, _s, _c in wanted},
        )
        street_keys = {(districts[d].pk, s): (d, s) for d, s, _c in wanted}
        streets = _bulk_get_or_create(
            Street.objects.filter(
                district_id__in={key[0] for key in street_keys},
                name__in={key[1] for key in street_keys},
            ),
            lambda s: (s.district_id, s.name),
            {key: Street(district=districts[d], name=s) for key, (d, s) in street_keys.items()},
        )
        community_keys = {(streets[(districts[d].pk, s)].pk, c): (d, s, c) for d, s, c in wanted}
        communities = _bulk_get_or_create(
            Community.objects.filter(
                street_id__in={key[0] for key in community_keys},
                name__in={key[1] for key in community_keys},
            ),
            lambda c: (c.street_id, c.name),
            {
                key: Community(street=streets[(districts[d].pk, s)], name=c)
                for key, (d, s, c) in community_keys.items()
            },
        )
        for key, triple in community_keys.items():
            self._communities[triple] = communities[key]


def _bulk_get_or_create(existing, key_of, new: dict) -> dict:
    """{key: object}: those of `existing` (a queryset over the wanted keys, perhaps more),
    and the `new` objects for the other keys, created at once."""
    found = {key_of(obj): obj for obj in existing.iterator(chunk_size=2000)}
    missing = [obj for key, obj in new.items() if key not in found]
    for obj in missing:
        # The parent is a saved instance: checking it exists would be a query per row.
        parents = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        obj.full_clean(exclude=parents, validate_unique=False, validate_constraints=False)
    model = type(missing[0]) if missing else None
    if model is not None:
        model.objects.bulk_create(missing, batch_size=1000)
    found.update({key_of(obj): obj for obj in missing})
    return {key: found[key] for key in new}
