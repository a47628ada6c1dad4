// Save an editor form as JSON with If-Match; explain 412/422/428 answers in words.

import { sendJSON } from './api.js';
import { readForm } from './form-data.js';
import { showMerge } from './merge-panel.js';

export class JsonForm extends EventTarget {
  constructor(form) {
    super();
    this.form = form;
    this.status = form.querySelector('.save-status');
    this.mergeBox = form.querySelector('.merge');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.save(readForm(form));
    });
  }

  say(text, isProblem = false, problems = []) {
    this.status.replaceChildren(text);
    this.status.classList.toggle('problem', isProblem);
    if (problems.length) {
      const list = document.createElement('ul');
      problems.forEach((problem) => {
        const item = document.createElement('li');
        item.textContent = problem;
        list.append(item);
      });
      this.status.append(list);
    }
  }

  async save(data, etag = this.form.dataset.etag) {
    const message = this.form.querySelector('[data-message]');
    const body = message && message.value.trim() ? { ...data, message: message.value.trim() } : data;
    this.say('Saving…');
    const { status, data: answer } = await sendJSON(this.form.dataset.saveUrl, 'PUT', body, etag);
    if (status === 200) {
      this.form.dataset.etag = answer.etag;
      this.mergeBox.hidden = true;
      if (message) message.value = '';
      this.say(`Saved (revision ${answer.revision}).`);
      this.dispatchEvent(new CustomEvent('saved', { detail: answer }));
    } else if (status === 412) {
      this.say('Not saved yet: someone else saved a newer version. Compare below.', true);
      showMerge(this.mergeBox, {
        mine: data, theirs: answer.current, message: answer.message,
        onSave: (merged) => this.save(merged, answer.current_etag).then((result) => {
          if (result === 200) window.location.reload();
        }),
      });
    } else {
      this.say(`Not saved: ${answer.message}`, true, answer.problems || []);
    }
    return status;
  }
}
