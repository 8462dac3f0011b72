"""Registry pages (bureau writes, scoped reads) and the public firm lookup."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _todo(*args, **kwargs) -> HttpResponse:
    raise NotImplementedError


public_firm_search = public_firm_detail = _todo
firm_list = firm_create = firm_detail = firm_edit = _todo
compound_list = compound_create = compound_detail = compound_edit = compound_change_firm = _todo
