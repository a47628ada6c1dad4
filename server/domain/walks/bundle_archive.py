"""A walk as one ZIP file: its bundle (walk.json, stops.geojson, path.geojson, media) in a folder of its slug."""

import io
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy.orm import Session

from .bundles import write_bundle
from .seeding import export_walk


def walk_bundle_zip(session: Session, slug: str) -> bytes:
    """Return the walk's working state (drafts and staff notes included) as a bundle in a ZIP."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / slug
        write_bundle(export_walk(session, slug, target), target)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(target.rglob("*")):
                if path.is_file():
                    archive.write(path, f"{slug}/{path.relative_to(target)}")
    return buffer.getvalue()
