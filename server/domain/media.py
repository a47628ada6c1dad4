"""Media files: content-addressed (sha256), recognised by their bytes, never by their name."""

import hashlib

from sqlalchemy.orm import Session

from .errors import ValidationError
from .models import Media

# Signatures of the formats Kotoji serves. SVG and anything executable are never accepted.
_SIGNATURES = [
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"ID3", "mp3", "audio/mpeg"),
    (b"\xff\xfb", "mp3", "audio/mpeg"),
    (b"\xff\xf3", "mp3", "audio/mpeg"),
    (b"\xff\xf2", "mp3", "audio/mpeg"),
    (b"OggS", "ogg", "audio/ogg"),
]


def sniff_media_type(data: bytes) -> tuple[str, str] | None:
    """Return (extension, content type) recognised from the bytes, or None."""
    for signature, extension, content_type in _SIGNATURES:
        if data.startswith(signature):
            return extension, content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp", "image/webp"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav", "audio/wav"
    if data[4:8] == b"ftyp" and data[8:11] in (b"M4A", b"mp4", b"iso"):
        return "m4a", "audio/mp4"
    return None


def store_media(session: Session, data: bytes, label: str = "file") -> Media:
    """Store `data` once under its sha256 and return the row; refuse what is not image or audio."""
    kind = sniff_media_type(data)
    if kind is None:
        raise ValidationError([f"{label}: not a JPEG, PNG or WebP image nor an MP3, OGG, WAV or M4A audio file"])
    sha256 = hashlib.sha256(data).hexdigest()
    media = session.get(Media, sha256)
    if media is None:
        media = Media(sha256=sha256, extension=kind[0], content_type=kind[1], size=len(data), data=data)
        session.add(media)
    return media
