// One audio player for the whole app. It lives outside the screens, so opening another screen (or
// arriving at the next stop) never cuts what is playing; a new stop's audio waits in the queue.
// It resumes where each track stopped (kept on the phone), and the lock screen controls it (Media Session).
// A track: {url, lang, stop, walk, name: {nl, en, ja}, album: {nl, en, ja}}. Events: "change" (track, queue or playing state).
import { pickText } from "./i18n.js";

const STATE_KEY = "kotoji:player";
const positionKey = (url) => `kotoji:audio-at:${url}`;
const SKIP_SECONDS = 10;

export class AudioPlayer extends EventTarget {
  constructor(audio) {
    super();
    this.audio = audio;
    this.track = null;
    this.queued = null;
    this.lastSaved = 0;
    this.ready = Promise.resolve();
    audio.addEventListener("loadedmetadata", () => this.restorePosition());
    audio.addEventListener("timeupdate", () => this.savePosition());
    audio.addEventListener("pause", () => this.changed(true));
    audio.addEventListener("play", () => this.changed());
    audio.addEventListener("ended", () => {
      localStorage.removeItem(positionKey(this.track.url)); // heard to the end: next time from the start
      this.changed();
    });
    window.addEventListener("pagehide", () => this.savePosition(true));
    this.setUpMediaSession();
    this.restoreState();
  }

  get playing() {
    return Boolean(this.track) && !this.audio.paused && !this.audio.ended;
  }

  // Put a track in the player; it plays only when asked (a tap, or "play on arrival").
  load(track, { play = false } = {}) {
    if (this.track?.url !== track.url) {
      this.savePosition(true);
      this.track = track;
      this.audio.dataset.track = track.url;
      this.audio.lang = track.lang || "";
      this.ready = this.attach(track.url);
      if (this.queued?.url === track.url) this.queued = null;
    }
    this.changed();
    if (play) return this.play();
    return this.ready;
  }

  // The <audio> reads the file itself, with Range requests, so a long story starts playing before it
  // has all arrived and can be sought in: the server answers ranges, and so does the service worker
  // from a downloaded walk's cache when the phone is offline.
  attach(url) {
    this.audio.src = url;
    return Promise.resolve();
  }

  // The next track: it waits until the walker (or the end of the current one) starts it.
  enqueue(track) {
    if (this.track?.url === track.url) return;
    this.queued = track;
    this.changed();
  }

  playQueued() {
    if (this.queued) return this.load(this.queued, { play: true });
    return Promise.resolve();
  }

  async play() {
    await this.ready;
    return this.audio.play().catch((error) => console.warn("audio did not start", error));
  }

  close() {
    this.savePosition(true);
    this.audio.pause();
    this.audio.removeAttribute("src");
    delete this.audio.dataset.track;
    this.audio.load();
    this.track = null;
    this.queued = null;
    this.changed();
  }

  restorePosition() {
    const at = Number(localStorage.getItem(positionKey(this.track?.url)) || 0);
    if (at > 0 && at < this.audio.duration - 1) this.audio.currentTime = at;
  }

  savePosition(now = false) {
    if (!this.track || !this.audio.currentTime) return;
    const time = Date.now();
    if (!now && time - this.lastSaved < 1000) return;
    this.lastSaved = time;
    localStorage.setItem(positionKey(this.track.url), String(this.audio.currentTime));
  }

  restoreState() {
    try {
      const { track, queued } = JSON.parse(localStorage.getItem(STATE_KEY) || "{}");
      this.queued = queued || null;
      if (track) this.load(track);
    } catch {
      localStorage.removeItem(STATE_KEY);
    }
  }

  changed(save = false) {
    if (save) this.savePosition(true);
    localStorage.setItem(STATE_KEY, JSON.stringify({ track: this.track, queued: this.queued }));
    this.updateMediaSession();
    this.dispatchEvent(new Event("change"));
  }

  setUpMediaSession() {
    if (!("mediaSession" in navigator)) return;
    const actions = {
      play: () => this.play(),
      pause: () => this.audio.pause(),
      stop: () => this.audio.pause(),
      seekbackward: () => (this.audio.currentTime = Math.max(0, this.audio.currentTime - SKIP_SECONDS)),
      seekforward: () =>
        (this.audio.currentTime = Math.min(this.audio.duration || 0, this.audio.currentTime + SKIP_SECONDS)),
      nexttrack: () => this.playQueued(),
    };
    for (const [action, handler] of Object.entries(actions)) {
      try {
        navigator.mediaSession.setActionHandler(action, handler);
      } catch {
        // this browser does not know that action
      }
    }
  }

  updateMediaSession() {
    if (!("mediaSession" in navigator)) return;
    navigator.mediaSession.metadata =
      this.track && "MediaMetadata" in window
        ? new MediaMetadata({
            title: pickText(this.track.name)[0],
            artist: "Kotoji",
            album: pickText(this.track.album)[0],
            artwork: [{ src: "/icons/icon-512.png", sizes: "512x512", type: "image/png" }],
          })
        : null;
    navigator.mediaSession.playbackState = !this.track ? "none" : this.playing ? "playing" : "paused";
  }
}
