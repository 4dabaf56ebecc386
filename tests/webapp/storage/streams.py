"""Byte streams to feed the stores, as the web app feeds them: one sealed chunk at a time."""
from webapp.storage import READ_CHUNK_BYTES


class UploadCut(ConnectionResetError):
    """The stream stopped midway, as when a client's connection drops: an OSError, which a store must
    not mistake for a failure of its own."""


def chunks_of(data: bytes, size: int = READ_CHUNK_BYTES):
    return (data[start:start + size] for start in range(0, len(data), size))


def cut_after(data: bytes, chunk_count: int):
    for index, chunk in enumerate(chunks_of(data)):
        if index == chunk_count:
            raise UploadCut
        yield chunk
