// The walker's choices, kept on the phone: play a stop's audio on arrival, save battery.
const KEYS = { playOnArrival: "kotoji:play-on-arrival", batterySaver: "kotoji:battery-saver" };
export const settingsEvents = new EventTarget();

export function setting(name) {
  return localStorage.getItem(KEYS[name]) === "on";
}

export function setSetting(name, on) {
  localStorage.setItem(KEYS[name], on ? "on" : "off");
  settingsEvents.dispatchEvent(new CustomEvent("change", { detail: name }));
}

// A checkbox that shows and changes one setting.
export function bindSettingCheckbox(input, name) {
  input.checked = setting(name);
  input.addEventListener("change", () => setSetting(name, input.checked));
}
