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
