from wagtail import hooks

from .viewsets import lexicon_entry_viewset


@hooks.register("register_admin_viewset")
def register_lexicon_entry_viewset():
    return lexicon_entry_viewset
