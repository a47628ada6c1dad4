"""Media files: content-addressed (sha256), recognised by their bytes, never by their name."""

import hashlib
import io
import re
import threading
import unicodedata
import warnings

from PIL import Image, ImageOps
from sqlalchemy.orm import Session
from tinytag import TinyTag

from .errors import ValidationError
from .messages import N_, _
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
        raise ValidationError(
            [f"{label}: " + _("not a JPEG, PNG or WebP image nor an MP3, OGG, WAV or M4A audio file")]
        )
    sha256 = hashlib.sha256(data).hexdigest()
    media = session.get(Media, sha256)
    if media is None:
        media = Media(sha256=sha256, extension=kind[0], content_type=kind[1], size=len(data), data=data)
        session.add(media)
    return media


# --- Uploads from the editor: checked by content, images re-encoded (EXIF and all metadata gone). ---

IMAGE_LONG_EDGE = 1600  # px: sharp on a phone held upright or sideways, ~200-400 KB as JPEG
JPEG_QUALITY = 82
MAX_IMAGE_PIXELS = 40_000_000  # larger is a decompression bomb or a scan, not a web photo
# Decoding a large PNG takes 4 bytes a pixel (160 MB at the limit): one image at a time per process,
# so parallel uploads wait for each other instead of multiplying the peak memory.
DECODING = threading.Semaphore(1)
_REFUSED_SIGNATURES = [
    (b"<?php", N_("this is a PHP script, not an image or audio file")),
    (b"MZ", N_("this is a Windows program, not an image or audio file")),
    (b"\x7fELF", N_("this is a program, not an image or audio file")),
    (b"#!", N_("this is a script, not an image or audio file")),
    (b"PK\x03\x04", N_("this is a ZIP archive, not an image or audio file")),
    (b"%PDF", N_("this is a PDF document, not an image or audio file")),
]


def _refusal(data: bytes) -> str:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for signature, refusal in _REFUSED_SIGNATURES:
        if head.startswith(signature.lower()):
            return _(refusal)
    if head.startswith(b"<"):
        if b"<svg" in data[:4096].lower():
            return _("SVG images are refused (they can carry scripts); upload a PNG or JPEG instead")
        return _("this is markup (HTML or XML), not an image or audio file")
    return _("not a JPEG, PNG or WebP image nor an MP3, OGG, WAV or M4A audio file")


def upload_file_name(filename: str, sha256: str, extension: str) -> str:
    """Return a safe bundle file name such as 'media/belfry-1a2b3c4d.jpg' (no path tricks survive)."""
    stem = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:40].strip("-") or "upload"
    return f"media/{stem}-{sha256[:8]}.{extension}"


def _too_many_pixels(size: str) -> ValidationError:
    return ValidationError(
        [
            "file: "
            + _(
                "too many pixels (%(size)s); at most %(millions)d million pixels are accepted: "
                "scale the image down before uploading",
                size=size,
                millions=MAX_IMAGE_PIXELS // 1_000_000,
            )
        ]
    )


def _reencode_image(data: bytes) -> tuple[bytes, str, str, int, int]:
    """Return (bytes, extension, content type, width, height) of the image re-encoded for the web."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(f"{image.width}×{image.height}")
                with DECODING:
                    return _web_image(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's own check, at open
        raise _too_many_pixels(
            _("over %(millions)d million", millions=(Image.MAX_IMAGE_PIXELS or 0) // 1_000_000)
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            ["file: " + _("the image is damaged or truncated and cannot be read (%(error)s)", error=type(exc).__name__)]
        ) from exc


def _web_image(image: Image.Image) -> tuple[bytes, str, str, int, int]:
    """Shrink an opened image to web size, turn it upright and encode it (PNG only if transparent)."""
    # Shrink first (a JPEG is then decoded at 1/2, 1/4 or 1/8 scale where that still gives the size),
    # turn upright after: the large image is never copied.
    image.thumbnail((IMAGE_LONG_EDGE, IMAGE_LONG_EDGE), Image.Resampling.LANCZOS)
    image.load()  # decodes every byte even when no shrinking was needed: a truncated file fails here
    image = ImageOps.exif_transpose(image)  # keep the photo upright once EXIF is gone
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    out = io.BytesIO()
    if has_alpha:
        image.convert("RGBA").save(out, "PNG", optimize=True)
        kind = ("png", "image/png")
    else:
        image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        kind = ("jpg", "image/jpeg")
    return out.getvalue(), kind[0], kind[1], image.width, image.height


def _check_audio(data: bytes) -> None:
    try:
        duration = TinyTag.get(file_obj=io.BytesIO(data), tags=False).duration
    except Exception:  # tinytag raises many kinds of errors (TinyTagException, struct.error, ...) for broken files
        duration = None
    if not duration or duration <= 0:
        raise ValidationError(["file: " + _("the audio file is damaged or empty and cannot be played")])


# What a file in the wrong slot is, and what the slot wants: whole sentences, so each language words them its own way.
WRONG_SLOT: dict[tuple[str, str | None], str] = {
    ("image", "audio"): N_("%(name)s is an image, not audio. Choose an MP3, OGG, WAV or M4A file here."),
    ("audio", "image"): N_("%(name)s is audio, not an image. Choose a JPEG, PNG or WebP image here."),
}


def store_upload(session: Session, data: bytes, filename: str, expected: str | None = None) -> tuple[Media, str]:
    """Check an uploaded file by its bytes, re-encode images, store it; return (media, bundle file name).

    `expected` ("image" or "audio") is the slot the editor chose the file for: anything else is refused
    there, by the name the editor knows the file by.
    """
    if not data:
        raise ValidationError(["file: " + _("the file is empty")])
    kind = sniff_media_type(data)
    if kind is None:
        raise ValidationError([f"file: {_refusal(data)}"])
    width = height = None
    extension, content_type = kind
    found = "image" if content_type.startswith("image/") else "audio"
    if (found, expected) in WRONG_SLOT:
        name = (filename or _("the file")).rsplit("/", 1)[-1][:120]
        raise ValidationError(["file: " + _(WRONG_SLOT[found, expected], name=name)])
    if content_type.startswith("image/"):
        data, extension, content_type, width, height = _reencode_image(data)
    else:
        _check_audio(data)
    sha256 = hashlib.sha256(data).hexdigest()
    media = session.get(Media, sha256)
    if media is None:
        media = Media(
            sha256=sha256,
            extension=extension,
            content_type=content_type,
            size=len(data),
            width=width,
            height=height,
            data=data,
        )
        session.add(media)
        session.flush()
    return media, upload_file_name(filename, sha256, extension)
