"""A document written a piece at a time to a temporary file, gzipped and hashed as it goes.

Publishing a 10,000-stop walk writes tens of MB per document: in a temporary file they weigh on
the disk (or the kernel's page cache), not on the publishing process, whatever the walk's size.
"""

import hashlib
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO

PIECE_BYTES = 1 << 18  # what is read back at a time, e.g. to write into the database
BUFFER_BYTES = 1 << 16  # writes (a stop each) gathered before they are hashed, stored and compressed


class GzipThread:
    """One thread compressing the pieces of every document of a publication, in the order given.

    zlib lets go of the GIL, so level 9 runs on a second core while the stops render. At most
    `pending` pieces wait for it: a slow thread holds the renderer back rather than the pieces pile up.
    """

    def __init__(self, pending: int = 8) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kotoji-gzip")
        self._room = threading.BoundedSemaphore(pending)

    def submit(self, work: Callable[[], None]) -> Future[None]:
        self._room.acquire()
        future = self._pool.submit(work)
        future.add_done_callback(lambda _: self._room.release())
        return future

    def __enter__(self) -> "GzipThread":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True)


class SpooledDocument:
    """One document's bytes and their gzip, each in a temporary file, with the bytes' size and sha256.

    The gzip is what `gzip.compress(body, compresslevel=9, mtime=0)` returns for the whole body
    (zlib writes that same stream a piece at a time), so ETags and stored bytes stay as they were.
    `compress=False`: no gzip (a document never sent as it is). `gzip_thread`: where to compress.
    """

    def __init__(self, compress: bool = True, gzip_thread: GzipThread | None = None) -> None:
        self._plain: IO[bytes] = tempfile.TemporaryFile(prefix="kotoji-publish-")
        self._packed: IO[bytes] | None = tempfile.TemporaryFile(prefix="kotoji-publish-gz-") if compress else None
        self._compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header, mtime 0
        self._gzip_thread = gzip_thread
        self._compressed: Future[None] | None = None  # the last piece given to the gzip thread
        self._buffer = bytearray()
        self._hash = hashlib.sha256()
        self._size = 0
        self._finished = False

    def write(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) >= BUFFER_BYTES:
            self._flush()

    def _flush(self) -> None:
        data, self._buffer = bytes(self._buffer), bytearray()
        self._plain.write(data)
        self._hash.update(data)
        self._size += len(data)
        if self._packed is not None:
            self._compress(lambda: self._write_gzip(self._compressor.compress(data)))

    def _compress(self, work: Callable[[], None]) -> None:
        if self._gzip_thread is None:
            work()
        else:
            self._compressed = self._gzip_thread.submit(work)

    def _write_gzip(self, data: bytes) -> None:
        assert self._packed is not None  # only called for a document with a gzip
        self._packed.write(data)

    def finish(self) -> None:
        """Write out what is buffered and end the gzip stream; nothing may be written after."""
        if self._finished:
            return
        self._flush()
        if self._packed is not None:
            self._compress(lambda: self._write_gzip(self._compressor.flush()))
            if self._compressed is not None:
                self._compressed.result()  # the thread's pieces are done in order: this one is the last
        self._finished = True

    @property
    def size(self) -> int:
        self.finish()
        return self._size

    @property
    def gzip_size(self) -> int:
        self.finish()
        return self._packed.seek(0, 2) if self._packed is not None else 0

    @property
    def sha256(self) -> str:
        self.finish()
        return self._hash.hexdigest()

    def plain_pieces(self) -> Iterator[bytes]:
        self.finish()
        return _pieces(self._plain)

    def gzip_pieces(self) -> Iterator[bytes]:
        self.finish()
        return _pieces(self._packed) if self._packed is not None else iter(())

    def close(self) -> None:
        self._plain.close()
        if self._packed is not None:
            self._packed.close()


def _pieces(file: IO[bytes]) -> Iterator[bytes]:
    file.seek(0)
    while data := file.read(PIECE_BYTES):
        yield data
