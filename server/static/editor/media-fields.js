// Upload images and audio from the stop form; the server answers with the stored media name.

import { uploadFile } from "./api.js";
import { _ } from "./i18n.js";

function imageItem(media, file, languages, index) {
  const item = document.createElement("li");
  item.dataset.image = "";
  item.dataset.media = media;
  item.dataset.file = file;
  const img = document.createElement("img");
  img.src = `/media/${media}`;
  img.alt = "";
  img.className = "thumb";
  item.append(img);
  languages.forEach((lang) => {
    const id = `alt-new-${index}-${lang}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = _("Alt text ({language})", { language: lang });
    const input = document.createElement("input");
    input.id = id;
    input.dataset.alt = lang;
    input.lang = lang;
    item.append(label, input);
  });
  const creditLabel = document.createElement("label");
  creditLabel.htmlFor = `credit-new-${index}`;
  creditLabel.textContent = _("Credit");
  const credit = document.createElement("input");
  credit.id = `credit-new-${index}`;
  credit.dataset.credit = "";
  const remove = document.createElement("button");
  remove.type = "button";
  remove.dataset.remove = "";
  remove.textContent = _("Remove image");
  item.append(creditLabel, credit, remove);
  return item;
}

export function attachMediaFields(form, report) {
  const languages = form.dataset.languages.split(",");
  const url = form.dataset.mediaUrl;
  let added = 0;
  form.addEventListener("click", (event) => {
    if (event.target.matches("[data-remove]")) event.target.closest("[data-image]").remove();
    if (event.target.matches("[data-remove-audio]")) {
      const box = event.target.closest("[data-audio]");
      delete box.dataset.media;
      delete box.dataset.file;
      box.querySelector(".audio-current").textContent = _("No audio.");
    }
    form.dispatchEvent(new Event("input", { bubbles: true }));
  });
  form.addEventListener("change", async (event) => {
    const input = event.target.closest("input[data-upload]");
    if (!input || !input.files.length) return;
    report(_("Uploading {file}…", { file: input.files[0].name }));
    const { status, data } = await uploadFile(url, input.files[0], input.dataset.upload);
    input.value = "";
    if (status !== 201) {
      const problems = data.problems && data.problems.length ? data.problems : [data.message];
      report(_("Upload refused: {reason}", { reason: problems.map((p) => p.replace(/^file: /, "")).join(" ") }), true);
      return;
    }
    if (input.dataset.upload === "image") {
      added += 1;
      const item = imageItem(data.media, data.file, languages, added);
      form.querySelector("#images").append(item);
      item.querySelector("input").focus();
      report(
        _("Image added ({width}×{height}); describe it in each language, then save.", {
          width: data.width,
          height: data.height,
        }),
      );
    } else {
      const box = input.closest("[data-audio]");
      box.dataset.media = data.media;
      box.dataset.file = data.file;
      const audio = document.createElement("audio");
      audio.controls = true;
      audio.src = data.url;
      box.querySelector(".audio-current").replaceChildren(audio);
      report(_("Audio added; add its transcript, then save."));
    }
    form.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
