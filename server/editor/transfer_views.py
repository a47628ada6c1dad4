"""Import into a walk (GeoJSON stops, GPX positions; all or nothing) and export it as a bundle ZIP."""

import io

from flask import redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from ..auth import signed_in_user
from ..db import get_session
from ..domain.editing.import_undo import undo_import
from ..domain.editing.imports import import_file
from ..domain.errors import DomainError, ValidationError
from ..domain.messages import _
from ..domain.walks.bundle_archive import walk_bundle_zip
from ..domain.walks.lookup import get_walk
from .blueprint import bp


@bp.post("/walks/<walk>/import")
def import_walk_file(walk: str) -> ResponseReturnValue:
    session = get_session()
    item = get_walk(session, walk)
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError(["file: " + _("choose a GeoJSON or GPX file to import")])
    try:
        summary = import_file(session, item, upload.read(), upload.filename or "", signed_in_user().id)
    except DomainError as exc:
        session.rollback()
        problems = getattr(exc, "problems", [exc.message])
        return render_template("editor/import_result.html", walk=item, summary=None, problems=problems), exc.status
    session.commit()
    return render_template("editor/import_result.html", walk=item, summary=summary, problems=[])


@bp.post("/walks/<walk>/imports/<int:event>/undo")
def undo_walk_import(walk: str, event: int) -> ResponseReturnValue:
    session = get_session()
    item = get_walk(session, walk)
    try:
        undone = undo_import(session, item, event, signed_in_user().id)
    except DomainError as exc:
        session.rollback()
        problems = getattr(exc, "problems", [exc.message])
        return render_template(
            "editor/import_result.html", walk=item, summary=None, problems=problems, undo_failed=True
        ), exc.status
    session.commit()
    return redirect(
        url_for(
            "editor.walk_page",
            walk=walk,
            import_undone=event,
            removed=len(undone["removed"]),
            restored=len(undone["restored"]),
        ),
        303,
    )


@bp.get("/walks/<walk>/export")
def export_walk_bundle(walk: str) -> ResponseReturnValue:
    """Send the walk (drafts and staff notes included: staff only) as a bundle in a ZIP."""
    archive = walk_bundle_zip(get_session(), walk)
    response = send_file(
        io.BytesIO(archive), mimetype="application/zip", as_attachment=True, download_name=f"{walk}.zip"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
