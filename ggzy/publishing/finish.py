"""Entry point for WAGTAIL_FINISH_WORKFLOW_ACTION.

Wagtail imports this while ``wagtail.models`` is still loading, so it must not
import models at module level.
"""


def chain_finished(workflow_state, user=None):
    from .services import chain_finished as finish

    return finish(workflow_state, user=user)
