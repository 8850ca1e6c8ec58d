"use strict";
(() => {
  const {live, el, boot} = YC;
  const states = {};
  let calls = [];
  const $ = (id) => document.getElementById(id);
  const FRESH_MS = 15000;      // the newest call stays highlighted this long

  function render() {
    const newest = calls[0];
    if (newest) {
      const fresh = Date.now() - newest.seen < FRESH_MS;
      $("latest").replaceChildren(el("div", {class: "call" + (fresh ? " fresh" : "")},
        el("span", {}, "请"), el("b", {class: "num", id: "latest-ticket"}, newest.ticket), el("span", {}, "号到"),
        el("b", {class: "win"}, newest.window_name), el("span", {}, "办理")));
    }
    $("recent").replaceChildren(...calls.slice(1, 6).map((c) =>
      el("li", {}, el("b", {}, c.ticket), el("span", {}, c.window_name))));
    const windows = boot.windows.map((w) => states["window/" + w.id + "/state"] || {window: w.id, name: w.name, state: "closed"});
    $("windows").replaceChildren(...windows.map((w) => el("div", {class: "win-cell", "data-state": w.state, "data-window": w.window},
      el("div", {class: "win-name"}, w.name),
      el("div", {class: "win-ticket"}, w.ticket || (w.state === "paused" ? "暂停" : w.state === "closed" ? "—" : "空闲")))));
    $("queues").replaceChildren(...boot.categories.map((c) => states["queue/" + c.id + "/state"]).filter(Boolean).map((q) =>
      el("div", {class: "queue", "data-category": q.category}, el("span", {}, q.prefix + " " + q.name), el("b", {}, q.waiting))));
  }

  function tick() {
    const d = new Date();
    $("clock").textContent = d.toLocaleDateString("zh-CN", {month: "long", day: "numeric", weekday: "long"}) + " " +
      String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
    if (calls[0] && Date.now() - calls[0].seen >= FRESH_MS) document.querySelector(".call.fresh")?.classList.remove("fresh");
  }
  setInterval(tick, 1000);
  tick();

  live("/api/events", {
    snapshot: (s) => {
      Object.keys(states).forEach((k) => delete states[k]);
      Object.assign(states, s.states);
      calls = s.calls.map((c) => ({...c, seen: 0}));
      render();
    },
    state: (m) => { states[m.key] = m.value; render(); },
    call: (c) => { calls.unshift({...c, seen: Date.now()}); calls = calls.slice(0, 12); render(); },
  });
})();
