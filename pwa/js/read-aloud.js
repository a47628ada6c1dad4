// Read a stop aloud with the device's own speech synthesis, in the chosen language.
const SPEECH_LANGUAGES = { nl: "nl-BE", en: "en-GB", ja: "ja-JP" };
const VOICES_WAIT_MS = 600; // some browsers list their voices only after a moment

export const canReadAloud = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;

// The device's voice for a language, or null when none is installed.
async function voiceFor(lang) {
  if (!speechSynthesis.getVoices().length) {
    await new Promise((resolve) => {
      speechSynthesis.addEventListener("voiceschanged", resolve, { once: true });
      setTimeout(resolve, VOICES_WAIT_MS);
    });
  }
  return speechSynthesis.getVoices().find((voice) => voice.lang.toLowerCase().startsWith(lang)) || null;
}

// Start reading; false when the device has no voice for `lang` (the page then says so).
export async function readAloud(text, lang, onEnd) {
  stopReading();
  const voice = await voiceFor(lang);
  if (!voice) return false;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = SPEECH_LANGUAGES[lang] || lang;
  utterance.voice = voice;
  utterance.addEventListener("end", onEnd);
  utterance.addEventListener("error", onEnd);
  speechSynthesis.speak(utterance);
  return true;
}

export function stopReading() {
  if (canReadAloud) speechSynthesis.cancel();
}
