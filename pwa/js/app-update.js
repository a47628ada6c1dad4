// Install the service worker and offer a new app version when one is waiting.
// The new version never takes over by itself: the walker taps "Update" (so never mid-walk).
export async function registerServiceWorker(onUpdateWaiting) {
  if (!("serviceWorker" in navigator)) return null;
  const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/", type: "module" });
  const offerIfWaiting = () => {
    if (registration.waiting && navigator.serviceWorker.controller) onUpdateWaiting(registration);
  };
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => worker.state === "installed" && offerIfWaiting());
  });
  offerIfWaiting();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {});
  });
  return registration;
}

export function applyUpdate(registration) {
  if (!registration.waiting) return;
  navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload(), { once: true });
  registration.waiting.postMessage({ type: "SKIP_WAITING" });
}
