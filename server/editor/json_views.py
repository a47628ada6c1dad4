"""The editor's JSON API: read with an ETag, write with If-Match (412 stale, 428 missing)."""

from flask import Response, jsonify, request
from flask.typing import ResponseReturnValue

from ..auth import signed_in_user
from ..db import get_session
from ..domain.editing.saves import StaleEdit, commit_save, create_stop, etag_of, reorder_stops, save_stop, save_walk
from ..domain.errors import ValidationError
from ..domain.json_types import JSONObject
from ..domain.media import store_upload
from ..domain.messages import _
from ..domain.models import Stop, Walk
from ..domain.walks.lookup import get_stop, get_walk, stop_state, walk_state
from ..errors import error_response, wants_json
from ..json_body import json_body, json_body_if_any
from .blueprint import bp, domain_error


def _json_body() -> JSONObject:
    return json_body("the changes")


def _with_etag(payload: JSONObject, obj: Walk | Stop, status: int = 200) -> Response:
    response = jsonify({**payload, "etag": etag_of(obj), "revision": obj.revision})
    response.status_code = status
    response.headers["ETag"] = etag_of(obj)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(StaleEdit)
def stale_edit(exc: StaleEdit) -> ResponseReturnValue:
    """412 with the versions to merge: the one both started from, the one now stored, this person's."""
    if not wants_json():
        return domain_error(exc)  # a plain form: the editor's page that leads back
    response = error_response(
        412,
        exc.code,
        exc.message,
        current=exc.current,
        current_etag=exc.current_etag,
        yours=json_body_if_any(),
        base=exc.base,
        merge=exc.merge,
        saved_by=exc.saved_by,
        saved_at=exc.saved_at,
    )
    response.headers["ETag"] = exc.current_etag
    return response


@bp.get("/api/walks/<walk>")
def walk_json(walk: str) -> ResponseReturnValue:
    item = get_walk(get_session(), walk)
    stops = [{"slug": s.slug, "name": s.name, "lat": s.lat, "lon": s.lon, "status": s.status} for s in item.stops]
    return _with_etag({"walk": walk_state(item), "stops": stops}, item)


@bp.put("/api/walks/<walk>")
def walk_save(walk: str) -> ResponseReturnValue:
    item = get_walk(get_session(), walk)
    save_walk(get_session(), item, _json_body(), request.headers.get("If-Match"), signed_in_user().id)
    commit_save(get_session(), item)
    return _with_etag({"walk": walk_state(item)}, item)


@bp.put("/api/walks/<walk>/order")
def walk_order(walk: str) -> ResponseReturnValue:
    item = get_walk(get_session(), walk)
    reorder_stops(get_session(), item, _json_body().get("order"), request.headers.get("If-Match"), signed_in_user().id)
    commit_save(get_session(), item)
    return _with_etag({"order": [s.slug for s in item.stops]}, item)


@bp.post("/api/walks/<walk>/stops")
def stop_create(walk: str) -> ResponseReturnValue:
    data = _json_body()
    item = get_walk(get_session(), walk)
    slug = data.pop("slug", "") if isinstance(data, dict) else ""
    stop = create_stop(get_session(), item, slug, data, signed_in_user().id)
    get_session().commit()
    return _with_etag({"stop": stop_state(stop)}, stop, status=201)


@bp.get("/api/walks/<walk>/stops/<stop>")
def stop_json(walk: str, stop: str) -> ResponseReturnValue:
    item = get_stop(get_session(), walk, stop)
    return _with_etag({"stop": stop_state(item), "deleted": item.deleted_at is not None}, item)


@bp.put("/api/walks/<walk>/stops/<stop>")
def stop_save(walk: str, stop: str) -> ResponseReturnValue:
    item = get_stop(get_session(), walk, stop)
    data = _json_body()
    message = data.pop("message", "") if isinstance(data, dict) else ""
    save_stop(
        get_session(), item, data, request.headers.get("If-Match"), signed_in_user().id, message=str(message)[:200]
    )
    commit_save(get_session(), item)
    return _with_etag({"stop": stop_state(item)}, item)


@bp.post("/api/media")
def media_upload() -> ResponseReturnValue:
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError(["file: " + _("choose an image or audio file to upload")])
    expected = request.form.get("kind") if request.form.get("kind") in ("image", "audio") else None
    media, file = store_upload(get_session(), upload.read(), upload.filename or "", expected)
    get_session().commit()
    return jsonify(
        {
            "media": media.name,
            "file": file,
            "content_type": media.content_type,
            "width": media.width,
            "height": media.height,
            "size": media.size,
            "url": f"/media/{media.name}",
        }
    ), 201
