"""Kotoji's domain in plain Python (no Flask): the CLI, the API, the editor and the guide tools call it.

Each room owns one part of the product; every rule about the data lives here once.

- `models`, `errors`, `languages`, `geometry`, `control_characters`, `json_input`: the shared ground (tables,
  domain errors, nl/en/ja, distances, the characters no text may hold, JSON read within limits)
- `walks`: walks and stops as bundles and records; seeding, walking paths, opening hours
- `publishing`: render a walk's public documents once (GeoJSON, GPX, offline manifest) and release them
- `editing`: staff saves with If-Match, validation rules, revisions, history and restore, imports
- `media`: images and audio, content-addressed and checked by their bytes
- `accounts`: staff accounts, roles, sign-in, login limits, sessions, the audit log
- `tours`: guides' tours: planning, best order, maps, GPX and QR exports, saved tours
- `basemap`: the offline vector basemap (PMTiles): read, cut, install, serve per walk
- `ogc`: OGC API – Features documents over the published walks
- `backups`: the whole site in one checked file
"""
