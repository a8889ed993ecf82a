// litopys web pages: small enhancements only; every page works without this script.
// Timeline: a type chip filters the events in place (without a reload; the link does the same on the
// server), hovering a mark highlights its event in the list and the other way round.
(function () {
  "use strict";

  function setFilter(box, type) {
    box.querySelectorAll("[data-filter]").forEach(function (chip) {
      var on = chip.getAttribute("data-filter") === type;
      chip.classList.toggle("on", on);
      chip.setAttribute("aria-pressed", on ? "true" : "false");
    });
    box.querySelectorAll(".event-item[data-type], .tl-mark[data-type]").forEach(function (el) {
      el.classList.toggle("is-off", type !== "" && el.getAttribute("data-type") !== type);
    });
    var note = box.querySelector(".filter-note");
    if (note) note.hidden = type === "";
    var url = new URL(window.location.href);
    if (type) url.searchParams.set("type", type);
    else url.searchParams.delete("type");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  function linked(box, id, on) {
    box.querySelectorAll('[data-event="' + CSS.escape(id) + '"]').forEach(function (el) {
      el.classList.toggle("is-hot", on);
    });
  }

  function setUp(box) {
    box.querySelectorAll("[data-filter]").forEach(function (chip) {
      chip.addEventListener("click", function (event) {
        event.preventDefault();
        var type = chip.getAttribute("data-filter");
        var active = chip.classList.contains("on");
        setFilter(box, active && type !== "" ? "" : type);
      });
    });
    box.querySelectorAll("[data-event]").forEach(function (el) {
      var id = el.getAttribute("data-event");
      el.addEventListener("mouseenter", function () { linked(box, id, true); });
      el.addEventListener("mouseleave", function () { linked(box, id, false); });
      el.addEventListener("focusin", function () { linked(box, id, true); });
      el.addEventListener("focusout", function () { linked(box, id, false); });
    });
  }

  // A story page that did not wait for its summary fetches it (the server waits for it, then
  // answers 200 with the fragment, or 202 while it is still being made).
  function fetchSummary(box, tries) {
    var url = box.getAttribute("data-summary-pending");
    if (!url || tries <= 0) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.status === 200) {
          return response.text().then(function (html) {
            var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".summary-body");
            if (fresh) box.replaceWith(document.importNode(fresh, true));
          });
        }
        if (response.status === 202) window.setTimeout(function () { fetchSummary(box, tries - 1); }, 500);
      })
      .catch(function () { /* the reload link stays */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-timeline]").forEach(setUp);
    document.querySelectorAll("[data-summary-pending]").forEach(function (box) { fetchSummary(box, 30); });
  });
})();
