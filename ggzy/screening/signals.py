"""Lexicon edits (through the admin's forms, or services) invalidate every
process's compiled automaton. Cache invalidation only: no business rule here."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import LexiconEntry


@receiver([post_save, post_delete], sender=LexiconEntry)
def _lexicon_changed(**kwargs):
    from .services import lexicon_invalidate

    # Now (this process, this transaction) and again once committed, so that no
    # other process keeps an automaton compiled from the old rows.
    lexicon_invalidate()
    transaction.on_commit(lexicon_invalidate)
