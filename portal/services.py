"""Writes shared by every app, and the portal's own: user accounts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.utils import update_change_reason  # noqa: F401  (re-exported for apps)

from .models import User


def refusal(message: str, code: str, field: str | None = None) -> ValidationError:
    """A service's refusal to raise: on `field` when it names one (the form shows it there,
    see portal.web.add_service_errors), else on the whole request."""
    if field:
        return ValidationError({field: ValidationError(message, code=code)})
    return ValidationError(message, code=code)


def record_save(instance: models.Model, *, user: User | None, reason: str = "") -> models.Model:
    """Validate and save one row, recording who changed it (and why) in its history."""
    instance.full_clean()
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    instance.save()
    return instance


@transaction.atomic
def user_create(*, actor: User, password: str, **fields) -> User:
    user = User(**fields)
    user.set_password(password)
    return record_save(user, user=actor)


@transaction.atomic
def user_update(*, actor: User, user: User, **fields) -> User:
    for name, value in fields.items():
        setattr(user, name, value)
    return record_save(user, user=actor)


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> User:
    user.set_password(password)
    return record_save(user, user=actor, reason="password reset")
