"""Languages and the words shown in each: labels, control states, event types, dates and fatality counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboard.values import is_na

# The one list of languages: code -> the language's own name (place names come in these three).
LANGUAGES: dict[str, str] = {"en": "English", "az": "Azərbaycanca", "hy": "Հայերեն"}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "date": "Date",
        "place": "Place",
        "type": "Type",
        "sides": "Sides",
        "fatalities": "Fatalities",
        "best": "best estimate",
        "unknown": "unknown",
        "disputed": "disputed",
        "source": "Source",
        "area": "Area",
        "control": "Control",
        "events": "Event types",
        "districts": "Control of districts",
        "one_event": "1 event",
        "n_events": "{n} events",
    },
    "az": {
        "date": "Tarix",
        "place": "Yer",
        "type": "Növ",
        "sides": "Tərəflər",
        "fatalities": "Həlak olanlar",
        "best": "ən ehtimal olunan",
        "unknown": "naməlum",
        "disputed": "mübahisəli",
        "source": "Mənbə",
        "area": "Sahə",
        "control": "Nəzarət",
        "events": "Hadisə növləri",
        "districts": "Rayonlara nəzarət",
        "one_event": "1 hadisə",
        "n_events": "{n} hadisə",
    },
    "hy": {
        "date": "Ամսաթիվ",
        "place": "Վայր",
        "type": "Տեսակ",
        "sides": "Կողմեր",
        "fatalities": "Զոհեր",
        "best": "առավել հավանական",
        "unknown": "անհայտ",
        "disputed": "վիճելի",
        "source": "Աղբյուր",
        "area": "Տարածք",
        "control": "Վերահսկողություն",
        "events": "Իրադարձությունների տեսակներ",
        "districts": "Շրջանների վերահսկողություն",
        "one_event": "1 իրադարձություն",
        "n_events": "{n} իրադարձություն",
    },
}
CONTROL_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "armenian": "Armenian forces",
        "azerbaijan": "Azerbaijani forces",
        "partial": "partly each",
        "unknown": "unknown",
    },
    "az": {
        "armenian": "Erməni qüvvələri",
        "azerbaijan": "Azərbaycan qüvvələri",
        "partial": "qismən",
        "unknown": "naməlum",
    },
    "hy": {"armenian": "Հայկական ուժեր", "azerbaijan": "Ադրբեջանական ուժեր", "partial": "մասնակի", "unknown": "անհայտ"},
}
# English type labels are the vocabulary itself; a type without a translation shows as written.
TYPE_LABELS: dict[str, dict[str, str]] = {
    "en": {},
    "az": {
        "battle": "döyüş",
        "offensive": "hücum",
        "capture": "ələ keçirmə",
        "shelling": "atəş",
        "airstrike": "hava zərbəsi",
        "massacre": "qırğın",
        "pogrom": "poqrom",
        "ceasefire": "atəşkəs",
        "diplomacy": "diplomatiya",
        "political": "siyasi",
        "protest": "etiraz",
        "blockade": "blokada",
        "displacement": "köçkünlük",
        "handover": "təhvil",
        "incident": "insident",
    },
    "hy": {
        "battle": "մարտ",
        "offensive": "հարձակում",
        "capture": "գրավում",
        "shelling": "հրետակոծություն",
        "airstrike": "ավիահարված",
        "massacre": "կոտորած",
        "pogrom": "ջարդ",
        "ceasefire": "հրադադար",
        "diplomacy": "դիվանագիտություն",
        "political": "քաղաքական",
        "protest": "բողոքի ակցիա",
        "blockade": "շրջափակում",
        "displacement": "տեղահանում",
        "handover": "հանձնում",
        "incident": "միջադեպ",
    },
}
_DATE_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def check_lang(lang: str) -> None:
    """Raise ValueError naming the languages when `lang` is not one of them."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")


def label(lang: str, key: str) -> str:
    """A UI label in `lang`."""
    return LABELS[lang][key]


def type_label(lang: str, event_type: str) -> str:
    """An event type in `lang`, or as written when it has no translation."""
    return TYPE_LABELS[lang].get(event_type, event_type)


def control_label(lang: str, state: str) -> str:
    """A control state ('armenian', 'azerbaijan', 'partial', 'unknown') in `lang`."""
    return CONTROL_LABELS[lang][state]


def events_label(lang: str, count: int) -> str:
    """'1 event' / '5 events' in `lang`."""
    return LABELS[lang]["one_event"] if count == 1 else LABELS[lang]["n_events"].format(n=count)


def date_text(record: Mapping[str, Any]) -> str:
    """An event's dates as precise as the data knows them: '1992-05-08', '1992-05', '1993', or a range."""
    fmt = _DATE_FORMATS.get(str(record["date_precision"]), "%Y-%m-%d")
    start, end = record["date_start"], record["date_end"]
    first = "" if is_na(start) else start.strftime(fmt)
    last = "" if is_na(end) else end.strftime(fmt)
    return first if not last or last == first else f"{first} – {last}"


def fatalities_text(low: object, best: object, high: object, lang: str) -> str:
    """'low–high (best estimate b)' when uncertain, one number when known, 'unknown' otherwise."""
    check_lang(lang)
    low, best, high = (None if is_na(v) else int(v) for v in (low, best, high))  # type: ignore[call-overload]
    if low is not None and high is not None and low != high:
        return f"{low}–{high}" + (f" ({LABELS[lang]['best']} {best})" if best is not None else "")
    for value in (best, low, high):
        if value is not None:
            return str(value)
    return LABELS[lang]["unknown"]


# Words of the territory layers, the corridor's statuses and the settlement details ({date} filled in).
TERRITORY_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "territory": "Territory",
        "contested": "contested (change under way, day not known)",
        "front_line": "Front line",
        "changed": "Changed hands in the last 30 days of the window",
        "held": "At the window's end",
        "district_outline": "District boundary",
        "line_of_contact": "Line of contact 1994–2020",
        "corridor": "Lachin corridor",
        "peacekeeping_zone": "Russian peacekeeping zone 2020–2024",
        "armenian-held": "held by Armenian forces",
        "peacekeepers": "under Russian peacekeepers",
        "blockaded": "blockaded",
        "checkpoint": "Azerbaijani checkpoint",
        "exodus": "exodus (one-way departure)",
        "closed": "closed",
    },
    "az": {
        "territory": "Ərazi",
        "contested": "mübahisəli (nəzarət dəyişir, dəqiq gün məlum deyil)",
        "front_line": "Cəbhə xətti",
        "changed": "Pəncərənin son 30 günündə nəzarət dəyişib",
        "held": "Pəncərənin sonunda",
        "district_outline": "Rayon sərhədi",
        "line_of_contact": "Təmas xətti 1994–2020",
        "corridor": "Laçın dəhlizi",
        "peacekeeping_zone": "Rusiya sülhməramlılarının zonası 2020–2024",
        "armenian-held": "erməni qüvvələrinin nəzarətində",
        "peacekeepers": "Rusiya sülhməramlılarının nəzarətində",
        "blockaded": "blokadada",
        "checkpoint": "Azərbaycan buraxılış məntəqəsi",
        "exodus": "köç (birtərəfli çıxış)",
        "closed": "bağlı",
    },
    "hy": {
        "territory": "Տարածք",
        "contested": "վիճարկվող (վերահսկողությունը փոխվում է, օրը հայտնի չէ)",
        "front_line": "Առաջնագիծ",
        "changed": "Վերահսկողությունը փոխվել է պատուհանի վերջին 30 օրում",
        "held": "Պատուհանի վերջում",
        "district_outline": "Շրջանի սահման",
        "line_of_contact": "Շփման գիծ 1994–2020",
        "corridor": "Լաչինի միջանցք",
        "peacekeeping_zone": "Ռուս խաղաղապահների գոտի 2020–2024",
        "armenian-held": "հայկական ուժերի վերահսկողության տակ",
        "peacekeepers": "ռուս խաղաղապահների վերահսկողության տակ",
        "blockaded": "շրջափակված",
        "checkpoint": "ադրբեջանական անցակետ",
        "exodus": "արտագաղթ (միակողմանի ելք)",
        "closed": "փակ",
    },
}


def territory_label(lang: str, key: str, **values: str) -> str:
    """A word of the territory layers in `lang`, with `values` filled in ('{date}')."""
    check_lang(lang)
    return TERRITORY_LABELS[lang][key].format(**values)


def holder_label(lang: str, holder: str) -> str:
    """Who held ground ('armenian', 'azerbaijan', 'contested') in `lang`."""
    return territory_label(lang, "contested") if holder == "contested" else control_label(lang, holder)


FAMILY_LABELS: dict[str, dict[str, str]] = {
    "en": {},
    "az": {
        "fighting": "döyüşlər",
        "strikes": "zərbələr",
        "violence against civilians": "mülki şəxslərə qarşı zorakılıq",
        "politics": "siyasət",
    },
    "hy": {
        "fighting": "մարտեր",
        "strikes": "հարվածներ",
        "violence against civilians": "բռնություն խաղաղ բնակիչների նկատմամբ",
        "politics": "քաղաքականություն",
    },
}
# Words inside the map frame and its legend ({n}, {total} filled in by the browser).
MAP_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "legend": "Legend",
        "section_events": "Events",
        "section_districts": "Districts",
        "section_territory": "Territory",
        "section_lines": "Lines and areas",
        "marker_size": "size: reported deaths (grey: no figure)",
        "selected_event": "selected event",
        "stacked_events": "several events at one place (click to spread them)",
        "partial_note": "split between the sides, or fought over, on that date",
        "selected_district": "selected district",
        "nkao": "Former NKAO (1923–1991) outline",
        "contact_line": "Line of contact 1994–2020",
        "contact_line_note": "approximate",
        "corridor_area": "Lachin corridor, 5 km strip",
        "reset": "Reset view",
        "outside": "{n} of {total} events outside the view",
        "show_all": "Show all",
        "tiles_failed": "Online map tiles could not load: showing the bundled basemap.",
    },
    "az": {
        "legend": "Şərti işarələr",
        "section_events": "Hadisələr",
        "section_districts": "Rayonlar",
        "section_territory": "Ərazi",
        "section_lines": "Xətlər və sahələr",
        "marker_size": "ölçü: bildirilən ölülərin sayı (boz: rəqəm yoxdur)",
        "selected_event": "seçilmiş hadisə",
        "stacked_events": "bir yerdə bir neçə hadisə (açmaq üçün klikləyin)",
        "partial_note": "həmin tarixdə tərəflər arasında bölünmüş və ya uğrunda döyüş gedən",
        "selected_district": "seçilmiş rayon",
        "nkao": "Keçmiş DQMV (1923–1991) sərhədi",
        "contact_line": "Təmas xətti 1994–2020",
        "contact_line_note": "təxmini",
        "corridor_area": "Laçın dəhlizi, 5 km zolaq",
        "reset": "Görünüşü sıfırla",
        "outside": "{total} hadisədən {n}-i görünüşdən kənardadır",
        "show_all": "Hamısını göstər",
        "tiles_failed": "Onlayn xəritə plitələri yüklənmədi: daxili əsas xəritə göstərilir.",
    },
    "hy": {
        "legend": "Պայմանական նշաններ",
        "section_events": "Իրադարձություններ",
        "section_districts": "Շրջաններ",
        "section_territory": "Տարածք",
        "section_lines": "Գծեր և տարածքներ",
        "marker_size": "չափը՝ հաղորդված զոհերի թիվ (մոխրագույն՝ թիվ չկա)",
        "selected_event": "ընտրված իրադարձություն",
        "stacked_events": "մի քանի իրադարձություն նույն վայրում (սեղմեք՝ բացելու համար)",
        "partial_note": "այդ օրը բաժանված կողմերի միջև կամ մարտերի վայր",
        "selected_district": "ընտրված շրջան",
        "nkao": "Նախկին ԼՂԻՄ-ի (1923–1991) սահման",
        "contact_line": "Շփման գիծ 1994–2020",
        "contact_line_note": "մոտավոր",
        "corridor_area": "Լաչինի միջանցք, 5 կմ շերտ",
        "reset": "Վերականգնել տեսքը",
        "outside": "{total} իրադարձությունից {n}-ը տեսադաշտից դուրս է",
        "show_all": "Ցույց տալ բոլորը",
        "tiles_failed": "Առցանց քարտեզի սալիկները չբեռնվեցին. ցուցադրվում է ներկառուցված հիմքային քարտեզը։",
    },
}


def family_label(lang: str, family: str) -> str:
    """An event family (schema.EVENT_FAMILIES) in `lang`, or as written when it has no translation."""
    check_lang(lang)
    return FAMILY_LABELS[lang].get(family, family)


def map_label(lang: str, key: str) -> str:
    """A word inside the map frame or its legend, in `lang`."""
    check_lang(lang)
    return MAP_LABELS[lang][key]
