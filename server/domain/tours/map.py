"""The tour's map, made with folium, loading Leaflet only from our own server.

folium's default page pulls Leaflet, jQuery and Bootstrap from CDNs: `TourMap` replaces those lists
with our own URLs and draws with plain Leaflet (polylines, div icons), so no other host is named.
The map comes in two forms: a standalone page (its one inline script allowed by hash in its own CSP)
and, for the handout under the site's strict CSP, the map's element and its script as separate parts.
Every element of the map renders once (`RenderedOnce`): labels, titles and names are data, never template source.
"""

import base64
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template
from markupsafe import escape

from .planning import TourPlan

PATH_COLOUR = "#8a8f98"
LEG_COLOUR = "#b3261e"


@dataclass(frozen=True)
class MapAssets:
    """Where the page finds Leaflet and the map's stylesheet (all on our own server)."""

    leaflet_js: str
    leaflet_css: str
    map_css: str
    basemap_script: str = ""  # a module that draws the walk's basemap under the map, if any
    basemap_module: str = ""  # the basemap hook that module imports (the PWA's)


class RenderedText(Element):
    """Text that is already rendered: given back as it is, never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RenderedText"
        self.text = text

    def render(self, **kwargs: object) -> str:
        return self.text


class RenderedOnce(MacroElement):
    """A macro element whose rendered parts join the page as text.

    branca's `MacroElement.render` wraps each rendered part in `Element(part)`, which compiles the part as
    a new Jinja template and runs it when the page renders: a `{{ }}` or `{% %}` that a label or a stop
    name brought into the part would run on the server. Here the macros' output is only ever text.
    """

    # branca types Element.render "-> str" but MacroElement.render, like this one, adds its parts and returns nothing.
    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} renders only inside a Figure.")
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            if part in macros:
                getattr(figure, part).add_child(RenderedText(macros[part](self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class TourMap(folium.Map, RenderedOnce):
    """A folium map whose page loads only our own Leaflet and stylesheet, with no inline style."""

    _template = Template("""
        {% macro header(this, kwargs) %}{% endmacro %}
        {% macro html(this, kwargs) %}
            <div class="folium-map tour-map" id={{ this.get_name()|tojson }}
                 role="region" aria-label={{ this.label|tojson }}
                 {%- if this.basemap_module %} data-walk-url={{ this.walk_url|tojson }}
                 data-basemap-module={{ this.basemap_module|tojson }}{% endif %}></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }},
                {center: {{ this.location|tojson }}, crs: L.CRS.{{ this.crs }}, ...{{ this.options|tojavascript }}});
            L.control.scale({imperial: false}).addTo({{ this.get_name() }});
            {{ this.get_name() }}.attributionControl.setPrefix(false);
        {% endmacro %}
    """)

    def __init__(self, assets: MapAssets, label: str, walk_url: str, location: list[float], zoom_start: int) -> None:
        self.default_js = [("leaflet", assets.leaflet_js)]
        self.default_css = [("leaflet_css", assets.leaflet_css), ("tour_map_css", assets.map_css)]
        self.label = label
        self.walk_url = walk_url
        self.basemap_module = assets.basemap_module
        # The attribution control stays for the basemap's data credit, without Leaflet's own link.
        super().__init__(location=location, zoom_start=zoom_start, tiles=None, zoom_snap=0.25)


class TourLine(folium.PolyLine, RenderedOnce):
    """folium's polyline, rendered once."""


class NumberedMarker(RenderedOnce):
    """A marker drawn as a numbered disc (a Leaflet divIcon), with an escaped tooltip.

    Built in one call so Leaflet never loads its default marker image, and so the tooltip text is
    escaped (folium's own Tooltip pastes raw text into a JavaScript template string).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.marker({{ this.location|tojson }}, {
                icon: L.divIcon({{ this.icon|tojson }}), title: {{ this.title|tojson }},
                alt: {{ this.title|tojson }}, keyboard: true
            }).addTo({{ this._parent.get_name() }});
            {{ this.get_name() }}.bindTooltip({{ this.tooltip|tojson }}, {direction: "top", offset: [0, -14]});
        {% endmacro %}
    """)

    def __init__(self, lat: float, lon: float, text: str, css_class: str, title: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement.__init__ lacks "-> None"
        self._name = "NumberedMarker"
        self.location = [lat, lon]
        self.icon = {
            "className": css_class,
            "html": f"<span>{escape(text)}</span>",
            "iconSize": [28, 28],
            "iconAnchor": [14, 14],
        }
        self.title = title
        self.tooltip = str(escape(title))


class FitForPrint(RenderedOnce):
    """Fit the map to the tour now and again just before printing (the page width changes then)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function (map, bounds) {
                function fit() {
                    map.invalidateSize(false);
                    map.fitBounds(bounds, {padding: [24, 24], animate: false});
                }
                fit();
                window.addEventListener("beforeprint", fit);
                if (window.matchMedia) { window.matchMedia("print").addEventListener("change", fit); }
            })({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement.__init__ lacks "-> None"
        self._name = "FitForPrint"
        self.bounds = bounds


class MapPage(Figure):
    """The standalone page: language, viewport, title; everything else from our own server."""

    _template = Template(
        '<!DOCTYPE html>\n<html lang="{{ this.lang }}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>{{ this.title }}</title>\n{{ this.header.render(**kwargs) }}\n</head>\n"
        '<body class="tour-map-page">\n{{ this.html.render(**kwargs) }}\n'
        "<script>\n{{ this.script.render(**kwargs) }}\n</script>\n</body>\n</html>\n"
    )

    def __init__(self, title: str, lang: str) -> None:
        super().__init__(title=str(escape(title)))
        self.lang = lang
        self.header._children.clear()  # drop folium's http-equiv meta: <meta charset> says it


def build_tour_map(plan: TourPlan, assets: MapAssets, labels: dict[str, str]) -> TourMap:
    """Return the folium map of the tour: the walk's path, the legs, numbered stops, start and end."""
    tour = plan.tour
    points = [[s.lat, s.lon] for s in tour.stops] + [[p.lat, p.lon] for p in (tour.start, tour.end) if p]
    tour_map = TourMap(
        assets, labels["map"], f"/api/walks/{tour.walk}", location=points[0] if points else [0, 0], zoom_start=15
    )
    if len(tour.path) > 1:
        TourLine(  # type: ignore[no-untyped-call]  # folium's PolyLine.__init__ leaves its options unannotated
            [[lat, lon] for lon, lat, *_ in tour.path], color=PATH_COLOUR, weight=3, opacity=0.6, interactive=False
        ).add_to(tour_map)
    for leg in plan.legs:
        TourLine(  # type: ignore[no-untyped-call]  # folium's PolyLine.__init__ leaves its options unannotated
            [[lat, lon] for lon, lat in leg.coordinates],
            color=LEG_COLOUR,
            weight=4,
            opacity=0.9,
            dash_array=None if leg.follows_path else "6 8",
            interactive=False,
        ).add_to(tour_map)
    for point, kind in ((tour.start, "start"), (tour.end, "end")):
        if point:
            _marker(tour_map, point.lat, point.lon, "", f"tour-marker tour-marker--{kind}", point.label or labels[kind])
    for waypoint in tour.waypoints:
        _marker(tour_map, waypoint.lat, waypoint.lon, "", "tour-marker tour-marker--waypoint", waypoint.label)
    for number, stop in enumerate(tour.stops, start=1):
        _marker(
            tour_map, stop.lat, stop.lon, str(number), "tour-marker tour-marker--stop", f"{number}. {tour.name(stop)}"
        )
    if points:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        FitForPrint([[min(lats), min(lons)], [max(lats), max(lons)]]).add_to(tour_map)
    _number_elements(tour_map.get_root())
    return tour_map


def _marker(tour_map: TourMap, lat: float, lon: float, text: str, css_class: str, title: str) -> None:
    NumberedMarker(lat, lon, text, css_class, title).add_to(tour_map)


def _elements(root: Element) -> Iterator[Element]:
    """Yield the element and everything under it, parents first."""
    yield root
    for child in root._children.values():
        yield from _elements(child)


def _number_elements(root: Element) -> None:
    """Give every element a stable id, so the page and its separately served script agree."""
    for number, element in enumerate(_elements(root), start=1):
        element._id = str(number)


def _render(figure: "MapPage") -> str:
    """Render the page; an element that would compile its own output as a template is refused."""
    templated = sorted(
        {
            type(element).__name__
            for element in _elements(figure)
            if isinstance(element, MacroElement) and not isinstance(element, RenderedOnce)
        }
    )
    if templated:
        raise TypeError(f"Map elements must render once (RenderedOnce): {', '.join(templated)}")
    return figure.render()


def standalone_map(plan: TourPlan, assets: MapAssets, labels: dict[str, str], title: str) -> tuple[str, str]:
    """Return the map as a page of its own and the Content-Security-Policy that page needs."""
    figure = MapPage(title, plan.tour.language)
    tour_map = build_tour_map(plan, assets, labels)
    figure.add_child(tour_map)
    _number_elements(figure)
    if assets.basemap_script:
        figure.header.add_child(
            RenderedText(f'<script type="module" src="{escape(assets.basemap_script)}"></script>'), name="basemap"
        )
    html = _render(figure)
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)
    csp = (
        "default-src 'none'; script-src 'self' " + hashes + "; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return html, csp


def self_contained(html: str, sources: dict[str, str]) -> str:
    """Return the standalone page with its scripts and stylesheets inlined, for opening from disk offline.

    `sources` maps each URL the page loads to the file's text; the basemap (tiles from the server) is left
    out, so the map shows the route and stops on its plain background, as it does without a basemap.
    """
    for url, text in sources.items():
        quoted = re.escape(str(escape(url)))
        if url.endswith(".css"):
            html = re.sub(rf'<link[^>]*href="{quoted}"[^>]*>', _literally(f"<style>\n{text}\n</style>"), html)
        else:
            safe = text.replace("</script", "<\\/script")
            html = re.sub(
                rf'<script[^>]*src="{quoted}"[^>]*>\s*</script>', _literally(f"<script>\n{safe}\n</script>"), html
            )
    html = re.sub(r'<script type="module" src="[^"]*"></script>', "", html)  # the basemap needs the server
    return re.sub(r'\s(?:data-walk-url|data-basemap-module)="[^"]*"', "", html)


def _literally(text: str) -> Callable[[re.Match[str]], str]:
    """Return a re.sub replacement that inserts `text` as it is (a string replacement would expand its backslashes)."""
    return lambda _match: text


def map_parts(plan: TourPlan, assets: MapAssets, labels: dict[str, str]) -> tuple[str, str]:
    """Return the map's element (HTML) and its script (JavaScript), for a page that loads the script."""
    figure = MapPage("", plan.tour.language)
    tour_map = build_tour_map(plan, assets, labels)
    figure.add_child(tour_map)
    _number_elements(figure)
    _render(figure)
    return figure.html.render(), figure.script.render()
