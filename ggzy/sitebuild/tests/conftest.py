import pytest

from ggzy.sitebuild import files as files_module
from ggzy.sitebuild import writer


@pytest.fixture
def root(settings):
    return settings.PUBLISH_ROOT


@pytest.fixture
def written(monkeypatch, root):
    """Relative paths of the published files written, in order."""
    paths = []
    real = files_module.atomic_write

    def recording(path, data, **kwargs):
        paths.append(path.relative_to(root).as_posix())
        return real(path, data, **kwargs)

    monkeypatch.setattr(files_module, "atomic_write", recording)
    return paths


@pytest.fixture
def removed(monkeypatch, root):
    """Relative paths of the published files removed by updates, in order."""
    paths = []
    real = writer.remove_file

    def recording(base, path):
        paths.append(path.relative_to(root).as_posix())
        return real(base, path)

    monkeypatch.setattr(writer, "remove_file", recording)
    return paths
