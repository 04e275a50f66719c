// The CSRF token for the app's own requests (fetch, htmx.ajax), from the
// page's <meta name="csrf-token">. htmx's writes carry theirs in their form:
// no element inherits it (no <body hx-headers>), so markup that got into a
// page cannot post with it.
function csrfHeader() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? { "X-CSRFToken": meta.content } : {};
}

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
    } else if (status === 503) {
      // The database is briefly down (productions/middleware.py: database_unavailable).
      show("BTS Tracker is briefly unavailable: your change was not saved. Try again in a few seconds.");
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
  fetch(url, {
    method: "POST",
    headers: { ...csrfHeader(), "Content-Type": "application/x-www-form-urlencoded" },
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

// After a delete the row becomes a "Moved … to the trash — Undo" notice and
// the keyboard moves on to the next row's first control (the row before at
// the end of the list), keeping its place; Undo is one Shift+Tab back.
document.addEventListener("htmx:load", (event) => {
  const notice = event.detail.elt;
  if (!notice.matches || !notice.matches("li[data-deleted]")) return;
  const isRow = (element) => element && element.matches("li[id^='item-']:not([data-deleted])");
  let row = notice.nextElementSibling;
  while (row && !isRow(row)) row = row.nextElementSibling;
  if (!row) {
    row = notice.previousElementSibling;
    while (row && !isRow(row)) row = row.previousElementSibling;
  }
  const control = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea";
  const target = (row && row.querySelector(control)) || notice.querySelector("button");
  if (target) target.focus();
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
  // A row asking "Delete …?" is busy too: the user is about to answer.
  const busy = (element) =>
    element.querySelector("form.item-edit") ||
    element.hasAttribute("data-confirming") ||
    (element.contains(document.activeElement) && document.activeElement.matches("input, select, textarea"));
  const place = (incoming) => {
    const existing = document.getElementById(incoming.id);
    if (existing) {
      if (incoming.hasAttribute("data-remove")) {
        // A row this page deleted stays as its "Moved to the trash — Undo" notice.
        if (!busy(existing) && !existing.hasAttribute("data-deleted")) existing.remove();
        return;
      }
      if (busy(existing)) return;
      // A row checked for a bulk change stays checked.
      const picked = existing.querySelector('input[form="bulk-form"]:checked');
      const pick = incoming.querySelector('input[form="bulk-form"]');
      if (picked && pick) pick.checked = true;
      // A control in use (a tick, say) keeps the keyboard: its twin takes it.
      const focused = existing.contains(document.activeElement) && document.activeElement.id;
      existing.replaceWith(incoming);
      htmx.process(incoming);
      if (focused) document.getElementById(focused)?.focus();
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
  const marked = (name) => arrived.filter((element) => element.hasAttribute(name));
  // Stages added or restored: their sections go last; the order puts them in place.
  const checklist = document.getElementById("checklist");
  for (const wrapper of marked("data-new-stage")) {
    const section = wrapper.firstElementChild;
    if (!section || !checklist || document.getElementById(section.id)) continue;
    checklist.append(section);
    htmx.process(section);
  }
  // The stages' order: the sections move around the one in use (or the first),
  // which stays where it is, so the keyboard and what is typed stay put.
  const [order] = marked("data-stage-order");
  if (order && checklist) {
    const sections = order.dataset.stageOrder
      .split(",")
      .map((pk) => document.getElementById(`stage-${pk}`))
      .filter(Boolean);
    const anchor = sections.findIndex((section) => section.contains(document.activeElement));
    const fixed = Math.max(anchor, 0);
    for (let i = fixed - 1; i >= 0; i--) sections[i + 1].before(sections[i]);
    for (let i = fixed + 1; i < sections.length; i++) sections[i - 1].after(sections[i]);
  }
  // A moved row: out of its old place, into its new one (before data-before,
  // or last), unless someone is editing it; if its new place is not loaded
  // yet, it comes as the user scrolls there.
  for (const wrapper of marked("data-place-in")) {
    const row = wrapper.firstElementChild;
    const existing = row && document.getElementById(row.id);
    if (!row || (existing && busy(existing))) continue;
    const list = document.getElementById(wrapper.dataset.placeIn);
    const before = list && wrapper.dataset.before && list.querySelector(`#${wrapper.dataset.before}`);
    const more = document.getElementById(wrapper.dataset.placeIn.replace("-items", "-more"));
    if (existing) existing.remove();
    if (before) before.before(row);
    else if (list && !more) list.append(row);
    else continue;
    htmx.process(row);
  }
  for (const wrapper of marked("data-append-to")) {
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
  // The first stage cannot move up, the last not down.
  if (order && checklist) {
    const sections = checklist.querySelectorAll(":scope > section");
    sections.forEach((section, index) => {
      const arrow = (direction) => section.querySelector(`#${section.id}-head button[value="${direction}"]`);
      if (arrow("up")) arrow("up").disabled = index === 0;
      if (arrow("down")) arrow("down").disabled = index === sections.length - 1;
    });
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

// Bulk changes: the form says how many rows are checked and stays in view
// while any are; once a change is chosen only the field it needs shows.
function bulkPicked() {
  return document.querySelectorAll('input[name="items"][form="bulk-form"]:checked').length;
}
function bulkRefresh() {
  const box = document.getElementById("bulk");
  if (!box) return;
  const n = bulkPicked();
  const count = box.querySelector("[data-bulk-count]");
  if (count) count.textContent = n ? `— ${n} checked` : "";
  box.classList.toggle("bulk-active", n > 0);
  const action = document.getElementById("bulk-action");
  box.querySelectorAll("[data-bulk-for]").forEach((field) => {
    const unused = !action || field.dataset.bulkFor !== action.value;
    field.hidden = unused;
    // A hidden field is not sent either (the server ignores it anyway).
    field.querySelectorAll("input, select").forEach((control) => (control.disabled = unused));
  });
}
document.addEventListener("change", (event) => {
  if (event.target.closest("#bulk") || event.target.matches('input[form="bulk-form"]')) bulkRefresh();
});
document.addEventListener("DOMContentLoaded", bulkRefresh);
document.addEventListener("htmx:afterSettle", bulkRefresh);

// While a form's request runs its buttons say they are busy and ignore
// clicks (htmx drops a second submit of the same form anyway); focus stays.
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt.closest && event.detail.elt.closest("form");
  if (!form) return;
  form.querySelectorAll("button").forEach((button) => button.setAttribute("aria-disabled", "true"));
});
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt.closest && event.detail.elt.closest("form");
  if (!form) return;
  form.querySelectorAll("button[aria-disabled]").forEach((button) => button.removeAttribute("aria-disabled"));
});
