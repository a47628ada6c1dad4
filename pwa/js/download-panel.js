// "Download this walk": size first (and its twin walk's), persistent storage, a progress bar that moves
// by bytes, then "available offline" only for a complete copy whose every file is on the phone.
import { cityName, formatBytes, formatNumber, t } from "./i18n.js";
import {
  askForPersistentStorage,
  downloadWalk,
  downloadedManifest,
  fetchLatestManifest,
  removeDownload,
  wasDownloaded,
} from "./walk-download.js";

export class DownloadPanel {
  constructor(root) {
    this.root = root;
    this.status = root.querySelector("#download-status");
    this.progress = root.querySelector("#download-progress");
    this.downloadButton = root.querySelector("#download-walk");
    this.removeButton = root.querySelector("#remove-download");
    this.twinOffer = root.querySelector("#download-twin");
    this.twinToo = root.querySelector("#download-twin-too");
    this.twinStatus = root.querySelector("#download-twin-status");
    this.confirm = root.querySelector("#remove-confirm");
    this.downloadButton.addEventListener("click", () => this.download());
    this.removeButton.addEventListener("click", () => this.askToRemove(true));
    root.querySelector("#remove-no").addEventListener("click", () => this.askToRemove(false));
    root.querySelector("#remove-yes").addEventListener("click", () => this.remove());
    this.walk = null;
    this.busy = false;
  }

  // twin: {walk, city} of the sister city's walk, or null
  async show(walk, twin = null) {
    this.walk = walk;
    this.twin = twin;
    this.confirm.hidden = true;
    await this.refresh();
  }

  async refresh() {
    if (!this.walk || this.busy) return;
    const walk = this.walk;
    const twinWalk = this.twin?.walk;
    const [stored, latest, twinStored, twinLatest] = await Promise.all([
      downloadedManifest(walk),
      fetchLatestManifest(walk),
      twinWalk ? downloadedManifest(twinWalk) : null,
      twinWalk ? fetchLatestManifest(twinWalk) : null,
    ]);
    if (walk !== this.walk) return;
    this.latest = latest;
    this.twinLatest = twinStored && twinLatest && twinStored.version >= twinLatest.version ? null : twinLatest;
    this.removeButton.hidden = !stored;
    this.downloadButton.hidden = !latest || (stored && stored.version >= latest.version);
    this.progress.hidden = true;
    this.showTwin(twinStored);
    if (stored && latest && latest.version > stored.version) {
      this.say(t("download.update_available", { size: formatBytes(latest.total_bytes) }), "update");
      this.downloadButton.textContent = t("download.update", { size: formatBytes(latest.total_bytes) });
    } else if (stored) {
      this.say(
        t("download.available", { size: formatBytes(stored.total_bytes), version: formatNumber(stored.version) }),
        "available",
      );
    } else if (latest) {
      const key = wasDownloaded(walk) ? "download.evicted" : "download.not_yet";
      this.say(t(key, { size: formatBytes(latest.total_bytes) }), "absent");
      this.downloadButton.textContent = t("download.button", { size: formatBytes(latest.total_bytes) });
    } else {
      this.say(t(wasDownloaded(walk) ? "download.evicted_offline" : "download.needs_connection"), "unreachable");
    }
  }

  showTwin(twinStored) {
    const city = this.twin ? cityName(this.twin.city) : "";
    this.twinOffer.hidden = !this.twinLatest || !this.latest;
    if (this.twinLatest)
      this.twinOffer.querySelector("#download-twin-text").textContent = t("download.twin", {
        city,
        size: formatBytes(this.twinLatest.total_bytes),
      });
    this.twinStatus.hidden = !twinStored;
    this.twinStatus.textContent = twinStored ? t("download.twin_available", { city }) : "";
  }

  say(text, state) {
    this.status.textContent = text;
    this.status.dataset.state = state;
  }

  async download() {
    if (!this.latest || this.busy) return;
    const manifests = [this.latest];
    if (this.twinLatest && !this.twinOffer.hidden && this.twinToo.checked) manifests.push(this.twinLatest);
    const total = manifests.reduce((sum, manifest) => sum + manifest.total_bytes, 0);
    this.busy = true;
    this.downloadButton.disabled = true;
    this.progress.hidden = false;
    this.progress.value = 0;
    const persistent = await askForPersistentStorage();
    try {
      let before = 0;
      for (const manifest of manifests) {
        await downloadWalk(manifest, (done) => {
          this.progress.value = total ? (before + done) / total : 1;
          this.say(
            t("download.progress_text", { done: formatBytes(before + done), total: formatBytes(total) }),
            "downloading",
          );
        });
        before += manifest.total_bytes;
      }
      this.busy = false;
      await this.refresh();
      if (!persistent) this.status.append(" ", t("download.not_persistent"));
    } catch (error) {
      this.busy = false;
      this.progress.hidden = true;
      this.say(t("download.failed"), "failed");
      console.warn(error);
    } finally {
      this.downloadButton.disabled = false;
    }
  }

  askToRemove(ask) {
    this.confirm.hidden = !ask;
    this.removeButton.hidden = ask;
    if (ask) this.root.querySelector("#remove-no").focus();
  }

  async remove() {
    this.confirm.hidden = true;
    await removeDownload(this.walk);
    await this.refresh();
  }
}
