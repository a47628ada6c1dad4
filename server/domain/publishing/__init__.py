"""Publishing: render a walk's public documents (GeoJSON, GPX, offline manifest) once and release them."""
