// When the session has ended (signed out elsewhere, or expired), sign in again in a dialog on this
// page, take the fresh CSRF token, and let the caller send what was typed.

import { _ } from "./i18n.js";

const LOGIN_URL = "/editor/login";

const parse = (html) => new DOMParser().parseFromString(html, "text/html");

export const sessionEnded = (status, answer) =>
  status === 401 || (status === 400 && /CSRF/.test((answer && answer.message) || ""));

async function signIn(email, password) {
  const page = parse(await (await fetch(LOGIN_URL, { credentials: "same-origin" })).text());
  const body = new FormData();
  body.append("csrf_token", page.querySelector('input[name="csrf_token"]').value);
  body.append("email", email);
  body.append("password", password);
  body.append("next", window.location.pathname);
  const answer = await fetch(LOGIN_URL, { method: "POST", body, credentials: "same-origin" });
  const signedIn = parse(await answer.text());
  if (!answer.ok || new URL(answer.url).pathname === LOGIN_URL) {
    const problem = signedIn.querySelector("#login-problem");
    return { ok: false, problem: problem ? problem.textContent : _("Not signed in: try again.") };
  }
  const token = signedIn.querySelector('meta[name="csrf-token"]').content;
  document.querySelector('meta[name="csrf-token"]').content = token;
  document.querySelectorAll('input[name="csrf_token"]').forEach((input) => {
    input.value = token;
  });
  return { ok: true };
}

function field(id, labelText, type, autocomplete) {
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = labelText;
  const input = document.createElement("input");
  input.id = id;
  input.type = type;
  input.required = true;
  input.autocomplete = autocomplete;
  return [label, input];
}

// Resolve true once signed in again, false if the editor closes the dialog.
export function askToSignIn() {
  return new Promise((resolve) => {
    const dialog = document.createElement("dialog");
    dialog.className = "sign-in-dialog";
    const form = document.createElement("form");
    const heading = document.createElement("h2");
    heading.textContent = _("Your session has ended: sign in again to save");
    const note = document.createElement("p");
    note.textContent = _("What you typed stays on this page and is saved as soon as you are signed in.");
    const [emailLabel, email] = field("again-email", _("Email address"), "email", "username");
    const [passwordLabel, password] = field("again-password", _("Password"), "password", "current-password");
    const problem = document.createElement("p");
    problem.className = "problem";
    problem.setAttribute("role", "alert");
    problem.hidden = true;
    const submit = document.createElement("button");
    submit.type = "submit";
    submit.textContent = _("Sign in and save");
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary";
    cancel.textContent = _("Not now");
    form.append(heading, note, emailLabel, email, passwordLabel, password, problem, submit, " ", cancel);
    dialog.append(form);
    document.body.append(dialog);
    const close = (result) => {
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    cancel.addEventListener("click", () => close(false));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = await signIn(email.value.trim(), password.value).catch(() => ({
        ok: false,
        problem: _("The server could not be reached. Try again in a moment."),
      }));
      if (result.ok) close(true);
      else {
        problem.textContent = result.problem;
        problem.hidden = false;
      }
    });
    dialog.showModal();
    email.focus();
  });
}
