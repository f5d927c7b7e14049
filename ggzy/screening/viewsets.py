from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from .models import LexiconEntry


class LexiconEntryViewSet(ModelViewSet):
    """违禁词库: the 网站管理员 maintains the prohibited terms (网站管理制度 第十四条、
    第十八条: the website administrator keeps harmful information off the site)."""

    model = LexiconEntry
    icon = "warning"
    menu_label = _("违禁词库")
    menu_name = "screening_lexicon"
    add_to_settings_menu = True
    url_prefix = "screening/lexicon"
    form_fields = ["category", "term", "severity", "active", "note"]
    list_display = ["term", "category", "severity", "active", "updated_at"]
    list_filter = ["category", "severity", "active"]
    search_fields = ["term", "note"]
    ordering = ["category", "term"]
    copy_view_enabled = False


lexicon_entry_viewset = LexiconEntryViewSet("screening_lexicon")
