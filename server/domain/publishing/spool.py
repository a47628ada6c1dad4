"""A document written a piece at a time to a temporary file, gzipped and hashed as it goes.

Publishing a 10,000-stop walk writes tens of MB per document: in a temporary file they weigh on
the disk (or the kernel's page cache), not on the publishing process, whatever the walk's size.
"""

import hashlib
import tempfile
import zlib
from collections.abc import Iterator
from typing import IO

PIECE_BYTES = 1 << 20  # what is read back at a time, e.g. to write into the database


class SpooledDocument:
    """One document's bytes and their gzip, each in a temporary file, with the bytes' size and sha256.

    The gzip is what `gzip.compress(body, compresslevel=9, mtime=0)` returns for the whole body
    (zlib writes that same stream a piece at a time), so ETags and stored bytes stay as they were.
    """

    def __init__(self, compress: bool = True) -> None:
        self.compress = compress  # False: no gzip at all (a document never sent as it is)
        self._plain: IO[bytes] = tempfile.TemporaryFile(prefix="kotoji-publish-")
        self._packed: IO[bytes] = tempfile.TemporaryFile(prefix="kotoji-publish-gz-")
        self._compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header, mtime 0
        self._hash = hashlib.sha256()
        self.size = 0
        self.gzip_size = 0
        self._open = True

    def write(self, data: bytes) -> None:
        self._plain.write(data)
        self._hash.update(data)
        self.size += len(data)
        if self.compress:
            self.gzip_size += self._packed.write(self._compressor.compress(data))

    def finish(self) -> None:
        """End the gzip stream; nothing may be written after."""
        if self._open and self.compress:
            self.gzip_size += self._packed.write(self._compressor.flush())
            self._open = False

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def plain_pieces(self) -> Iterator[bytes]:
        return _pieces(self._plain)

    def gzip_pieces(self) -> Iterator[bytes]:
        self.finish()
        return _pieces(self._packed)

    def close(self) -> None:
        self._plain.close()
        self._packed.close()


def _pieces(file: IO[bytes]) -> Iterator[bytes]:
    file.seek(0)
    while data := file.read(PIECE_BYTES):
        yield data
