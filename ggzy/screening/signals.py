"""Lexicon edits drop this process's compiled automaton at once (other
processes see the change through services._fingerprint). Cache invalidation
only: no business rule here."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import LexiconEntry
from .services import lexicon_invalidate


@receiver([post_save, post_delete], sender=LexiconEntry)
def _lexicon_changed(**kwargs):

    # Now (this transaction) and again once committed, so that no automaton
    # compiled from rows read in between survives.
    lexicon_invalidate()
    transaction.on_commit(lexicon_invalidate)
