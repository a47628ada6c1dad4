// A stop's audio as a player track: the reader's language first, else another one (said on the page).
import { language } from "./i18n.js";

export function audioTrack(feature, walk) {
  const audio = feature.properties.audio || {};
  const lang = [language(), "en", "nl", "ja"].find((code) => audio[code]);
  if (!lang) return null;
  return {
    url: audio[lang].url,
    lang,
    transcript: audio[lang].transcript || "",
    stop: feature.id,
    walk: walk.slug,
    name: feature.properties.name,
    album: walk.title,
  };
}
