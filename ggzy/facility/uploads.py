"""监控管理制度 三: an exported recording may be gigabytes. This upload handler hashes it
while it arrives — chunk by chunk into the temporary file Django writes anyway — so
the archive knows its SHA-256 without reading it again, and never holds it in memory."""

from __future__ import annotations

import hashlib

from django.core.files.uploadhandler import TemporaryFileUploadHandler


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Every file of the request goes to a temporary file (never memory), and carries
    ``sha256`` and ``hashed_size`` once complete."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._digest, self._size = hashlib.sha256(), 0

    def receive_data_chunk(self, raw_data, start):
        self._digest.update(raw_data)
        self._size += len(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        upload = super().file_complete(file_size)
        upload.sha256, upload.hashed_size = self._digest.hexdigest(), self._size
        return upload
