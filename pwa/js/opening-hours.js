// OpenStreetMap opening_hours ("Mo-Fr 10:00-18:00; PH off"): shown with day names in the reader's
// language, and read for today in the stop's own time zone: open now, closes at, opens at, closed today.
// The common subset only (as server/domain/walks/opening_hours.py): anything else says nothing rather
// than guess. Works offline: it needs only the stop's data and the phone's clock.
import { language, t } from "./i18n.js";

const DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const TIME_ZONES = { BE: "Europe/Brussels", JP: "Asia/Tokyo", NL: "Europe/Amsterdam" };
const DAY_SPEC =
  /^(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))?(,(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))?)*$/;
const SPAN = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

export function formatOpeningHours(text) {
  const weekday = new Intl.DateTimeFormat(language(), { weekday: "short", timeZone: "UTC" });
  // 2024-01-01 was a Monday.
  const names = Object.fromEntries(DAYS.map((day, i) => [day, weekday.format(new Date(Date.UTC(2024, 0, 1 + i)))]));
  return text
    .replace(/\b(Mo|Tu|We|Th|Fr|Sa|Su)\b/g, (day) => names[day])
    .replace(/\bPH\b/g, t("hours.public_holidays"))
    .replace(/\boff\b/g, t("hours.closed"))
    .replace(/;\s*/g, " · ");
}

function days(spec) {
  const chosen = new Set();
  for (const part of spec.split(",")) {
    const [first, last = first] = part.split("-");
    for (let i = DAYS.indexOf(first); ; i = (i + 1) % 7) {
      chosen.add(DAYS[i]);
      if (DAYS[i] === last) break;
    }
  }
  return chosen;
}

// Today's opening spans in minutes [[from, to]] (an empty list: closed all day), or null if unknown.
function spansFor(text, weekday) {
  const rules =
    text.trim() === "24/7"
      ? ["00:00-24:00"]
      : text
          .split(";")
          .map((rule) => rule.trim())
          .filter(Boolean);
  let today = null;
  for (const rule of rules) {
    if (rule.startsWith("PH")) continue; // public holidays are not known here
    const parts = rule.split(/\s+/);
    const ruleDays = DAY_SPEC.test(parts[0]) ? days(parts.shift()) : new Set(DAYS);
    if (parts.length !== 1) return null;
    let spans = [];
    if (!["off", "closed"].includes(parts[0])) {
      spans = parts[0].split(",").map((span) => SPAN.exec(span));
      if (spans.some((match) => !match)) return null;
      spans = spans.map(([, h1, m1, h2, m2]) => [Number(h1) * 60 + Number(m1), Number(h2) * 60 + Number(m2)]);
    }
    if (ruleDays.has(weekday)) today = spans;
  }
  return today ?? [];
}

// The day and minute of the day now, where the stop is.
function localNow(country, now) {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: TIME_ZONES[country] || undefined,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(now);
  const get = (type) => parts.find((part) => part.type === type).value;
  return { weekday: get("weekday").slice(0, 2), minute: Number(get("hour")) * 60 + Number(get("minute")) };
}

const clock = (minutes) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

// "Open now · closes at 17:00", "Closed now · opens at 10:00", "Closed today", or null when unknown.
export function openingState(text, country, now = new Date()) {
  if (!text) return null;
  const { weekday, minute } = localNow(country, now);
  const spans = spansFor(text, weekday);
  if (spans === null) return null;
  if (!spans.length) return { state: "closed", text: t("hours.closed_today") };
  const open = spans.find(([from, to]) => (from < to ? from <= minute && minute < to : minute >= from || minute < to));
  if (open) return { state: "open", text: t("hours.open_until", { time: clock(open[1]) }) };
  const later = spans.filter(([from]) => from > minute).sort((a, b) => a[0] - b[0])[0];
  if (later) return { state: "closed", text: t("hours.opens_at", { time: clock(later[0]) }) };
  return { state: "closed", text: t("hours.closed_for_today") };
}
