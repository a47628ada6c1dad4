"""The words of the OGC service and its HTML pages, per language (the data comes from the published walks)."""

from ..languages import LANGUAGES, pick_text

SITE_TEXT = {
    "title": {
        "nl": "Kotoji – open data van de erfgoedwandelingen",
        "en": "Kotoji – open data of the heritage walks",
        "ja": "Kotoji – 遺産散策のオープンデータ",
    },
    "description": {
        "nl": "De gepubliceerde wandelingen als OGC API – Features: één collectie per wandeling, de haltes als punten.",
        "en": "The published walks as OGC API – Features: one collection per walk, its stops as points.",
        "ja": "公開中の散策ルートを OGC API – Features で提供します。"
        "ルートごとに一つのコレクション、立ち寄り地点はポイントです。",
    },
}

_LABELS = {
    "home": ("Startpagina", "Home", "ホーム"),
    "collections": ("Wandelingen", "Walks", "散策ルート"),
    "conformance": ("Conformiteit", "Conformance", "適合クラス"),
    "api": ("API-beschrijving", "API description", "API の説明"),
    "api_docs": ("API-documentatie", "API documentation", "API ドキュメント"),
    "stops": ("Haltes", "Stops", "立ち寄り地点"),
    "stop": ("Halte", "Stop", "立ち寄り地点"),
    "order": ("Nr.", "No.", "番号"),
    "name": ("Naam", "Name", "名前"),
    "summary": ("Samenvatting", "Summary", "概要"),
    "coordinates": ("Coördinaten (lengte, breedte)", "Coordinates (longitude, latitude)", "座標（経度・緯度）"),
    "extent": ("Gebied (W, Z, O, N)", "Extent (W, S, E, N)", "範囲（西・南・東・北）"),
    "matched": (
        "{matched} haltes gevonden, {returned} getoond",
        "{matched} stops found, {returned} shown",
        "{matched} 件中 {returned} 件を表示",
    ),
    "next": ("Volgende", "Next", "次へ"),
    "prev": ("Vorige", "Previous", "前へ"),
    "as_json": ("Als JSON", "As JSON", "JSON 形式"),
    "as_geojson": ("Als GeoJSON", "As GeoJSON", "GeoJSON 形式"),
    "properties": ("Eigenschappen", "Properties", "属性"),
    "field": ("Veld", "Field", "項目"),
    "value": ("Waarde", "Value", "値"),
    "example": ("Voorbeeld", "Example", "例"),
    "schemas": ("Schema's", "Schemas", "スキーマ"),
    "language": ("Taal", "Language", "言語"),
    "open_in_gis": (
        "Open deze dienst in QGIS of GDAL met de URL",
        "Open this service in QGIS or GDAL with the URL",
        "QGIS や GDAL でこの URL を開いてください",
    ),
}
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "ja": "日本語"}


def labels(lang: str | None) -> dict[str, str]:
    """Return the page words in `lang` (English when the language is not one of ours)."""
    index = LANGUAGES.index(lang) if lang in LANGUAGES else LANGUAGES.index("en")
    return {key: words[index] for key, words in _LABELS.items()}


def site_text(key: str, lang: str | None) -> str:
    """Return one of the service's own texts in `lang` (English when no language was asked for)."""
    return pick_text(SITE_TEXT[key], lang or "en")
