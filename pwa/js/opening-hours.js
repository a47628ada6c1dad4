// Show OpenStreetMap opening_hours ("Mo-Fr 10:00-18:00; PH off") with day names in the reader's language.
import { language, t } from "./i18n.js";

const DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

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
