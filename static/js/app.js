// Say so when an htmx request fails, instead of leaving the page silently unchanged.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("request-error");
  if (!box) return;
  const show = (text) => {
    box.textContent = text;
    box.classList.remove("d-none");
  };
  document.body.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr.status;
    if (status === 403 || status === 404) {
      show("That item is gone or you may not change it. Reload the page to see the latest.");
    } else {
      show(`Something went wrong (error ${status}). Your change may not have been saved.`);
    }
  });
  document.body.addEventListener("htmx:sendError", () => {
    show("The server could not be reached. Check your connection and try again.");
  });
  document.body.addEventListener("htmx:beforeRequest", () => box.classList.add("d-none"));
});

// Back/forward restores htmx's snapshot of the page, but not what was typed
// into the filter form: set the controls from the restored URL.
document.addEventListener("htmx:historyRestore", () => {
  const params = new URLSearchParams(window.location.search);
  document.querySelectorAll("form[role=search] [name]").forEach((field) => {
    field.value = params.get(field.name) || "";
  });
});
