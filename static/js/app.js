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

// First visit without a time zone: send the browser's, so dates show in the
// user's own zone (the server keeps a zone the user chose over this guess).
document.addEventListener("DOMContentLoaded", () => {
  const url = document.body.dataset.guessTimeZone;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!url || !zone) return;
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
  fetch(url, {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ time_zone: zone }),
    credentials: "same-origin",
  }).catch(() => {});
});

// Messages after htmx actions arrive in an HX-Trigger "messages" event (see
// HtmxMessagesMiddleware) and show as toasts; "announce" tells screen readers
// what changed without moving focus.
document.addEventListener("DOMContentLoaded", () => {
  const area = document.getElementById("toasts");
  const announcer = document.getElementById("announcer");
  document.body.addEventListener("messages", (event) => {
    for (const message of event.detail.value || []) {
      const toast = document.createElement("div");
      const kind = message.tags === "error" ? "danger" : message.tags || "info";
      toast.className = `alert alert-${kind} shadow-sm toast-message`;
      toast.setAttribute("role", "status");
      toast.textContent = message.text;
      area.append(toast);
      setTimeout(() => toast.remove(), 8000);
    }
  });
  document.body.addEventListener("announce", (event) => {
    announcer.textContent = "";
    // A fresh text node makes screen readers read it even when it repeats.
    setTimeout(() => (announcer.textContent = event.detail.value), 50);
  });
});

// Esc cancels an inline edit (its Cancel link brings the row back).
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const form = event.target.closest && event.target.closest("form.item-edit");
  const cancel = form && form.querySelector("[data-cancel]");
  if (cancel) {
    event.preventDefault();
    cancel.click();
  }
});

// The main menu folds behind a button on small screens once scripts run
// (without them it simply stays open).
document.addEventListener("DOMContentLoaded", () => {
  const toggler = document.querySelector(".navbar-toggler");
  const menu = document.getElementById("main-menu");
  if (!toggler || !menu) return;
  toggler.hidden = false;
  menu.classList.remove("show");
  toggler.setAttribute("aria-expanded", "false");
  toggler.addEventListener("click", () => {
    const open = menu.classList.toggle("show");
    toggler.setAttribute("aria-expanded", String(open));
  });
});

// Live updates: the poll's answer lands in #live-inbox; each element there
// takes the place of the one with the same id. A row being edited, or a
// control in use, is left as it is, so nothing typed is lost.
document.addEventListener("htmx:afterSwap", (event) => {
  const inbox = event.detail.target;
  if (!inbox || inbox.id !== "live-inbox") return;
  const busy = (element) =>
    element.querySelector("form.item-edit") ||
    (element.contains(document.activeElement) && document.activeElement.matches("input, select, textarea"));
  const place = (incoming) => {
    const existing = document.getElementById(incoming.id);
    if (existing) {
      if (incoming.hasAttribute("data-remove")) {
        if (!busy(existing)) existing.remove();
        return;
      }
      if (busy(existing)) return;
      existing.replaceWith(incoming);
      htmx.process(incoming);
    } else if (incoming.id === "live-notice") {
      const anchor = document.getElementById("production-progress");
      if (anchor) {
        anchor.before(incoming);
      }
    }
  };
  // Take everything out of the inbox first, so a look-up by id finds the
  // page's element and not the incoming one.
  const arrived = Array.from(inbox.children);
  inbox.replaceChildren();
  for (const wrapper of arrived.filter((element) => element.hasAttribute("data-append-to"))) {
    const row = wrapper.firstElementChild;
    if (!row) continue;
    if (document.getElementById(row.id)) {
      place(row);
      continue;
    }
    const list = document.getElementById(wrapper.dataset.appendTo);
    const stageId = wrapper.dataset.appendTo.replace("-items", "");
    // A stage still loading as the user scrolls will show it when it gets there.
    if (list && !document.getElementById(`${stageId}-more`)) {
      list.append(row);
      htmx.process(row);
    }
  }
  for (const incoming of arrived) {
    if (incoming.id) place(incoming);
  }
});

// Paste-to-add: the add box is a one-row textarea. Enter adds (submits the
// form), Shift+Enter starts a new line, and while it holds several lines a
// preview says how many items it will add. Without scripts the textarea
// still posts, one item per line.
const pasteAddLines = (box) => box.value.split(/\r\n|\r|\n/).filter((line) => line.trim()).length;
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
  if (!box.matches || !box.matches("textarea[data-paste-add]")) return;
  event.preventDefault();
  box.form.requestSubmit();
});
document.addEventListener("input", (event) => {
  const box = event.target;
  if (!box.matches || !box.matches("textarea[data-paste-add]")) return;
  const preview = box.form.querySelector("[data-paste-preview]");
  if (!preview) return;
  const lines = pasteAddLines(box);
  preview.textContent = lines > 1 ? `Add ${lines} items?` : "";
});
