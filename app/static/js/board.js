/* Campaign board: drag a placement card to another status column.
 *
 * Every card already has a status menu and a "Move" button that work without this file
 * (and from the keyboard). Dragging submits the same form with fetch: the server checks the
 * role and the card's version (someone else moved it meanwhile: the page reloads to show it).
 */
(function () {
  "use strict";

  var board = document.querySelector("[data-board]");
  if (!board) return;
  var dragged = null;

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".card[draggable='true']") : null;
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });

  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    Array.prototype.forEach.call(board.querySelectorAll(".drop-target"), function (el) {
      el.classList.remove("drop-target");
    });
  });

  board.addEventListener("dragover", function (event) {
    var column = event.target.closest ? event.target.closest(".board-column") : null;
    if (!dragged || !column) return;
    event.preventDefault();
    column.classList.add("drop-target");
  });

  board.addEventListener("dragleave", function (event) {
    var column = event.target.closest ? event.target.closest(".board-column") : null;
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("drop-target");
  });

  board.addEventListener("drop", function (event) {
    var column = event.target.closest ? event.target.closest(".board-column") : null;
    if (!dragged || !column) return;
    event.preventDefault();
    var card = dragged;
    var form = card.querySelector("form.move-form");
    if (!form || card.parentNode === column.querySelector("ul")) return;
    var data = new FormData(form);
    data.set("status", column.getAttribute("data-status"));
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      // Reload either way: the columns' counts, versions and warnings come from the server.
      window.location.reload();
      return response;
    });
  });
})();
