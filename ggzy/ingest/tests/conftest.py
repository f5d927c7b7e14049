import pytest

from .clamd_daemon import Clamd


@pytest.fixture(scope="session")
def clamd_daemon(tmp_path_factory):
    """A real clamd on loopback (Debian's clamav-daemon), never a mock."""
    daemon = Clamd(tmp_path_factory.mktemp("clamd"))
    daemon.start()
    yield daemon
    daemon.stop()


@pytest.fixture
def clamd(clamd_daemon, settings):
    """Uploads scanned by the session's clamd, failing closed."""
    settings.CLAMD_ADDRESS = clamd_daemon.address
    settings.MALWARE_SCAN = "required"
    return clamd_daemon
