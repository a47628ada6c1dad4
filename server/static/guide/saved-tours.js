// My tours: deleting a saved tour asks first (the question comes translated from the page).
for (const form of document.querySelectorAll("form.delete-tour[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}
