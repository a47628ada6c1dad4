// A stop's photos full screen: caption and credit, previous/next by swipe, arrow keys or buttons.
// A modal <dialog>: Escape closes it and focus goes back to the photo that opened it.
import { pickText, t } from "./i18n.js";

const SWIPE_PX = 50;

export class PhotoGallery {
  constructor(dialog) {
    this.dialog = dialog;
    this.image = dialog.querySelector("#gallery-image");
    this.caption = dialog.querySelector("#gallery-caption");
    this.credit = dialog.querySelector("#gallery-credit");
    this.counter = dialog.querySelector("#gallery-counter");
    this.images = [];
    this.index = 0;
    dialog.querySelector("#gallery-previous").addEventListener("click", () => this.show(this.index - 1));
    dialog.querySelector("#gallery-next").addEventListener("click", () => this.show(this.index + 1));
    dialog.querySelector("#gallery-close").addEventListener("click", () => dialog.close());
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "ArrowLeft") this.show(this.index - 1);
      else if (event.key === "ArrowRight") this.show(this.index + 1);
      else return;
      event.preventDefault();
    });
    let start = null;
    this.image.addEventListener("pointerdown", (event) => {
      start = event.clientX;
      this.image.setPointerCapture(event.pointerId);
    });
    this.image.addEventListener("pointerup", (event) => {
      if (start === null) return;
      const moved = event.clientX - start;
      start = null;
      if (Math.abs(moved) >= SWIPE_PX) this.show(this.index + (moved < 0 ? 1 : -1));
    });
    dialog.addEventListener("close", () => this.opener?.focus());
  }

  // images: [{url, alt: {nl, en, ja}, credit}]
  open(images, index, opener) {
    this.images = images;
    this.opener = opener;
    this.show(index);
    this.dialog.showModal();
  }

  show(index) {
    const count = this.images.length;
    this.index = (index + count) % count;
    const image = this.images[this.index];
    const [alt] = pickText(image.alt);
    this.image.src = image.url;
    this.image.alt = alt;
    this.caption.textContent = alt;
    this.credit.textContent = image.credit ? t("gallery.credit", { credit: image.credit }) : "";
    this.counter.textContent = t("gallery.counter", { n: this.index + 1, total: count });
    for (const id of ["#gallery-previous", "#gallery-next"]) this.dialog.querySelector(id).hidden = count < 2;
  }
}
