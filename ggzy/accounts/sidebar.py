"""The admin sidebar's account menu names the signed-in person by the full
Chinese name (family + given, ``User.get_full_name()``): Wagtail's
``MainMenuModule`` shows ``user.first_name`` alone, which for 张伟 is 伟.

The module is handed to the React sidebar by a telepath adapter registered for
the class; registering another adapter for the same class replaces it, so the
sidebar template and the menu items stay Wagtail's own."""

from __future__ import annotations

from wagtail.admin.telepath import register
from wagtail.admin.ui.sidebar import BaseSidebarAdapter, MainMenuModule


class FullNameMainMenuModuleAdapter(BaseSidebarAdapter):
    js_constructor = "wagtail.sidebar.MainMenuModule"

    def js_args(self, obj):
        menu_items, account_menu_items, account = obj.js_args()
        get_full_name = getattr(obj.user, "get_full_name", None)
        full_name = get_full_name() if callable(get_full_name) else ""
        if full_name:
            account = {**account, "name": full_name}
        return [menu_items, account_menu_items, account]


register(FullNameMainMenuModuleAdapter(), MainMenuModule)
