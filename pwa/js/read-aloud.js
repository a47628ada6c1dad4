// Read a stop aloud with the device's own speech synthesis, in the chosen language.
const SPEECH_LANGUAGES = { nl: "nl-BE", en: "en-GB", ja: "ja-JP" };

export const canReadAloud = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;

export function readAloud(text, lang, onEnd) {
  stopReading();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = SPEECH_LANGUAGES[lang] || lang;
  const voice = speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith(lang));
  if (voice) utterance.voice = voice;
  utterance.addEventListener("end", onEnd);
  utterance.addEventListener("error", onEnd);
  speechSynthesis.speak(utterance);
}

export function stopReading() {
  if (canReadAloud) speechSynthesis.cancel();
}
