// "Download this walk": size first, persistent storage, progress bar, then a plain "available offline".
import { formatBytes, formatNumber, t } from "./i18n.js";
import { askForPersistentStorage, downloadWalk, downloadedManifest, fetchLatestManifest, removeDownload, wasDownloaded } from "./walk-download.js";

export class DownloadPanel {
  constructor(root) {
    this.status = root.querySelector("#download-status");
    this.progress = root.querySelector("#download-progress");
    this.downloadButton = root.querySelector("#download-walk");
    this.removeButton = root.querySelector("#remove-download");
    this.downloadButton.addEventListener("click", () => this.download());
    this.removeButton.addEventListener("click", () => this.remove());
    this.walk = null;
    this.busy = false;
  }

  async show(walk) {
    this.walk = walk;
    await this.refresh();
  }

  async refresh() {
    if (!this.walk || this.busy) return;
    const walk = this.walk;
    const [stored, latest] = await Promise.all([downloadedManifest(walk), fetchLatestManifest(walk)]);
    if (walk !== this.walk) return;
    this.latest = latest;
    this.removeButton.hidden = !stored;
    this.downloadButton.hidden = !latest || (stored && stored.version >= latest.version);
    this.progress.hidden = true;
    if (stored && latest && latest.version > stored.version) {
      this.say(t("download.update_available", { size: formatBytes(latest.total_bytes) }), "update");
      this.downloadButton.textContent = t("download.update", { size: formatBytes(latest.total_bytes) });
    } else if (stored) {
      this.say(t("download.available", { size: formatBytes(stored.total_bytes), version: formatNumber(stored.version) }), "available");
    } else if (latest) {
      const key = wasDownloaded(walk) ? "download.evicted" : "download.not_yet";
      this.say(t(key, { size: formatBytes(latest.total_bytes) }), "absent");
      this.downloadButton.textContent = t("download.button", { size: formatBytes(latest.total_bytes) });
    } else {
      this.say(t("download.needs_connection"), "unreachable");
    }
  }

  say(text, state) {
    this.status.textContent = text;
    this.status.dataset.state = state;
  }

  async download() {
    if (!this.latest || this.busy) return;
    this.busy = true;
    this.downloadButton.disabled = true;
    this.progress.hidden = false;
    this.progress.value = 0;
    const persistent = await askForPersistentStorage();
    try {
      await downloadWalk(this.latest, (done, total) => {
        this.progress.value = total ? done / total : 1;
        this.say(t("download.progress_text", { done: formatBytes(done), total: formatBytes(total) }), "downloading");
      });
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

  async remove() {
    await removeDownload(this.walk);
    await this.refresh();
  }
}
