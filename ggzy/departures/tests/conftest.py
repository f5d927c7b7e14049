# Departures emit through accounts' security-event seam: reuse its capturing fixture.
from ggzy.accounts.tests.conftest import security_events  # noqa: F401
