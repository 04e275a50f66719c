// Board drag and drop (SortableJS): a dropped card or column posts its new
// place to the same views as the Move buttons, which stay the keyboard and
// no-JS way to do it.
document.addEventListener("DOMContentLoaded", () => {
  const board = document.getElementById("board");
  if (!board || typeof Sortable === "undefined") return;
  const headers = csrfHeader(); // app.js

  const post = (url, values) =>
    htmx.ajax("POST", url, { values, headers, swap: "none", source: board }).catch(() => {
      window.location.reload();
    });

  board.querySelectorAll(".board-cards").forEach((list) => {
    Sortable.create(list, {
      group: "cards",
      draggable: ".board-card",
      filter: "button, select, a, input",
      preventOnFilter: false,
      ghostClass: "board-ghost",
      onEnd: (event) => {
        // Sortable leaves an empty style attribute on the dragged card; htmx
        // copies it onto the card's replacement as it settles, which the CSP
        // (no inline styles) refuses with a console error.
        event.item.removeAttribute("style");
        if (event.from === event.to && event.oldDraggableIndex === event.newDraggableIndex) return;
        const card = event.item;
        let next = card.nextElementSibling;
        while (next && !next.classList.contains("board-card")) next = next.nextElementSibling;
        const values = { stage: event.to.dataset.stage, view: "board" };
        if (next) values.before = next.dataset.item;
        post(card.dataset.moveUrl, values);
      },
    });
  });

  const orderUrl = board.dataset.orderUrl;
  if (!orderUrl) return;
  Sortable.create(board, {
    draggable: ".board-column",
    handle: ".board-column-handle",
    ghostClass: "board-ghost",
    onEnd: (event) => {
      event.item.removeAttribute("style");
      if (event.oldDraggableIndex === event.newDraggableIndex) return;
      const order = [...board.querySelectorAll(".board-column")].map((column) => column.dataset.stage);
      post(orderUrl, { order });
    },
  });
});
