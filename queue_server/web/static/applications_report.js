"use strict";
// The manager's deadline report: warnings before and at the day, overdue per department and window.
(() => {
  const {api, el, rows, boot} = YC;
  const $ = (id) => document.getElementById(id);
  const windowName = (id) => (boot.windows.find((w) => w.id === id) || {name: id || "—"}).name;
  async function load() {
    const r = await api("GET", "/api/manage/applications/deadlines");
    rows($("warnings").tBodies[0], r.warnings, (a) => [a.number, a.item_name, a.domain, windowName(a.window),
      a.state_text, a.due, el("span", {class: "deadline-" + a.deadline}, a.deadline_text)]);
    $("none").hidden = r.warnings.length > 0;
    rows($("by-domain").tBodies[0], Object.entries(r.overdue_by_domain), ([d, n]) => [d, n]);
    rows($("by-window").tBodies[0], Object.entries(r.overdue_by_window), ([w, n]) => [windowName(w), n]);
  }
  load();
  setInterval(load, 60000);
})();
