"""The tour map without a client: text reaches its script as data, and every element renders once."""

import folium
import pytest

from server.domain.tours import map as tour_map
from server.domain.tours.planning import plan_tour

from .test_tours import tour

ASSETS = tour_map.MapAssets("/leaflet.js", "/leaflet.css", "/tour-map.css")
LABELS = {"map": "Map", "start": "Start", "end": "End"}


def test_template_syntax_in_labels_and_names_reaches_the_script_as_text():
    plan = plan_tour(
        tour(
            stops="west,east",
            lang="en",
            start="51.05,3.70",
            start_label="{{7*7}}",
            end="51.055,3.72",
            end_label="{% if 1 %}x{% endif %}",
        )
    )
    html, script = tour_map.map_parts(plan, ASSETS, LABELS)
    assert '"{{7*7}}"' in script and '"{% if 1 %}x{% endif %}"' in script
    assert '"49"' not in script and '"x"' not in script
    page, _csp = tour_map.standalone_map(plan, ASSETS, LABELS, "{#")
    assert "<title>{#</title>" in page and '"{{7*7}}"' in page


def test_a_map_element_that_would_compile_its_output_as_a_template_is_refused(monkeypatch):
    monkeypatch.setattr(tour_map, "TourLine", folium.PolyLine)  # branca's render: output becomes a template
    plan = plan_tour(tour(stops="west,east", lang="en"))
    with pytest.raises(TypeError, match="PolyLine"):
        tour_map.map_parts(plan, ASSETS, LABELS)
