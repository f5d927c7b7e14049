"""Field values of a model instance for an audit record's before/after."""

from typing import Any

from django.db import models

__all__ = ["snapshot"]


def snapshot(instance: models.Model, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Field values for before/after, with related objects as their keys."""
    data: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(str(o) for o in getattr(instance, name).all()) if instance.pk else []
        elif field.is_relation:
            data[name] = getattr(instance, field.attname)
        else:
            data[name] = getattr(instance, name)
    return data
