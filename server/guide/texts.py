"""The handout's and exports' own words in each language (the stops' texts come from the walk)."""

from datetime import date

TEXTS = {
    "en": {
        "closed_at": "Closed when you arrive at {time} (opening hours: {hours}).",
        "open_at": "Open when you arrive at {time} (opening hours: {hours}).",
        "stops": "stops", "walking": "walking", "at_stops": "at the stops", "total": "about",
        "minutes": "min", "hours": "h", "start": "Start", "end": "End", "map": "Map of the tour",
        "opening_hours": "Opening hours: {hours}. Check them before the visit.",
        "position": "Position", "address": "Address", "arrive": "Arrive",
        "next_leg": "Then walk {distance} (about {minutes} min) to stop {number}.",
        "to_end": "Then walk {distance} (about {minutes} min) to the end point.",
        "from_start": "From the start point: {distance}, about {minutes} min.",
        "scan": "Scan to open this tour on your phone. Download it in the app and it works offline.",
        "legend_path": "along the walk's route", "legend_estimate": "estimated (straight line)",
        "link": "Open this tour in Kotoji", "track": "Along the walk's route",
        "summary": "{count} stops · {distance} · about {total}", "print": "Print",
        "summary_one": "1 stop · {distance} · about {total}", "breakdown": "({walking}, {at_stops})",
        "approximate_route": "Approximate route: the path is drawn by hand, not checked along the streets; "
                             "distances and times are estimates (±15%).",
        "date": "Date", "reading": "Reading", "japanese_name": "Japanese name",
        "accessibility": "Accessibility", "notes": "Guide's notes",
    },
    "nl": {
        "closed_at": "Gesloten bij aankomst om {time} (openingsuren: {hours}).",
        "open_at": "Open bij aankomst om {time} (openingsuren: {hours}).",
        "stops": "stops", "walking": "wandelen", "at_stops": "bij de stops", "total": "ongeveer",
        "minutes": "min", "hours": "u", "start": "Start", "end": "Einde", "map": "Kaart van de tour",
        "opening_hours": "Openingsuren: {hours}. Controleer ze voor het bezoek.",
        "position": "Positie", "address": "Adres", "arrive": "Aankomst",
        "next_leg": "Wandel dan {distance} (ongeveer {minutes} min) naar stop {number}.",
        "to_end": "Wandel dan {distance} (ongeveer {minutes} min) naar het eindpunt.",
        "from_start": "Vanaf het startpunt: {distance}, ongeveer {minutes} min.",
        "scan": "Scan om deze tour op je telefoon te openen. Download hem in de app en hij werkt offline.",
        "legend_path": "langs de route van de wandeling", "legend_estimate": "geschat (rechte lijn)",
        "link": "Open deze tour in Kotoji", "track": "Langs de route van de wandeling",
        "summary": "{count} stops · {distance} · ongeveer {total}", "print": "Afdrukken",
        "summary_one": "1 stop · {distance} · ongeveer {total}", "breakdown": "({walking}, {at_stops})",
        "approximate_route": "Route bij benadering: het pad is met de hand getekend, niet langs de straten nagekeken; "
                             "afstanden en tijden zijn schattingen (±15%).",
        "date": "Datum", "reading": "Uitspraak", "japanese_name": "Japanse naam",
        "accessibility": "Toegankelijkheid", "notes": "Notities van de gids",
    },
    "ja": {
        "closed_at": "{time}の到着時は閉館しています（開館時間：{hours}）。",
        "open_at": "{time}の到着時は開館しています（開館時間：{hours}）。",
        "stops": "か所", "walking": "徒歩", "at_stops": "見学", "total": "約",
        "minutes": "分", "hours": "時間", "start": "出発地", "end": "到着地", "map": "ツアーの地図",
        "opening_hours": "開館時間：{hours}。訪問前にご確認ください。",
        "position": "位置", "address": "住所", "arrive": "到着",
        "next_leg": "次に{distance}（約{minutes}分）歩いて{number}番へ。",
        "to_end": "次に{distance}（約{minutes}分）歩いて到着地へ。",
        "from_start": "出発地から{distance}、約{minutes}分。",
        "scan": "スマートフォンでスキャンするとこのツアーが開きます。"
                "アプリでダウンロードすればオフラインでも使えます。",
        "legend_path": "散策ルート沿い", "legend_estimate": "推定（直線）",
        "link": "Kotojiでこのツアーを開く", "track": "散策ルート沿い",
        "summary": "{count}か所・{distance}・約{total}", "print": "印刷",
        "summary_one": "1か所・{distance}・約{total}", "breakdown": "（{walking}、{at_stops}）",
        "approximate_route": "ルートはおおよそです。道は手で描いたもので、道路に沿って確認していません。"
                             "距離と時間は目安です（±15%）。",
        "date": "日付", "reading": "読み", "japanese_name": "日本語名",
        "accessibility": "バリアフリー情報", "notes": "ガイドのメモ",
    },
}

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"],
}


def texts(language: str) -> dict[str, str]:
    return TEXTS.get(language, TEXTS["en"])


def format_date(day: date, language: str) -> str:
    """Return a date as people write it in `language`."""
    if language == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS.get(language, MONTHS['en'])[day.month - 1]} {day.year}"


def format_distance(metres: float, language: str) -> str:
    """Return metres below a kilometre, else kilometres with one decimal (comma in Dutch)."""
    if metres < 1000:
        return f"{round(metres / 10) * 10:.0f} m"
    km = f"{metres / 1000:.1f}"
    return f"{km.replace('.', ',') if language == 'nl' else km} km"


def format_duration(minutes: int, language: str) -> str:
    """Return a duration as '1 h 25 min' (or the language's words)."""
    words = texts(language)
    hours, rest = divmod(int(minutes), 60)
    if language == "ja":
        return f"{hours}{words['hours']}{rest}{words['minutes']}" if hours else f"{rest}{words['minutes']}"
    return f"{hours} {words['hours']} {rest} {words['minutes']}" if hours else f"{rest} {words['minutes']}"
