"""The audit action names the compliance app records, with their Chinese labels
(the catalogue: ``ggzy.core.actions``). Imported from the app's ``AppConfig.ready``.
"""

from ggzy.core.actions import register_actions

from .choices import AUDIT_ACTIONS

register_actions("compliance", AUDIT_ACTIONS)
