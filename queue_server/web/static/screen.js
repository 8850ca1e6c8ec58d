"use strict";
(() => {
  const {live, el, boot, windowStates} = YC;
  const states = {};
  let calls = [];
  const $ = (id) => document.getElementById(id);
  const FRESH_MS = 15000;      // the newest call stays highlighted this long
  const ONE_LINE = 6;          // a tile shows this many characters of a window name on one line

  // A window name sized to fit its box whatever its length: the CSS divides the box width by
  // --chars (the longest line); names longer than ONE_LINE go on two balanced lines.
  function fitted(tag, cls, name, lines) {
    const node = el(tag, {class: cls, "data-lines": lines}, name);
    node.style.setProperty("--chars", Math.max(4, Math.ceil(name.length / lines)));
    return node;
  }

  // The server words the call (event/call text, hall/words.py); the screen only sets the
  // number and the window name in it apart.
  function sentence(call) {
    const parts = [];
    let rest = call.text;
    for (const [word, make] of [[call.ticket, (w) => el("b", {class: "num", id: "latest-ticket"}, w)],
                                [call.window_name, (w) => fitted("b", "win", w, 1)]]) {
      const at = rest.indexOf(word);
      if (at < 0) continue;
      if (at) parts.push(el("span", {}, rest.slice(0, at)));
      parts.push(make(word));
      rest = rest.slice(at + word.length);
    }
    if (rest) parts.push(el("span", {}, rest));
    return parts;
  }

  function render() {
    const newest = calls[0];
    if (newest) {
      const fresh = Date.now() - newest.seen < FRESH_MS;
      $("latest").replaceChildren(el("div", {class: "call" + (fresh ? " fresh" : "")}, ...sentence(newest)));
    }
    $("recent").replaceChildren(...calls.slice(1, 6).map((c) =>
      el("li", {}, el("b", {}, c.ticket), fitted("span", "", c.window_name, 1))));
    const windows = boot.windows.map((w) => states["window/" + w.id + "/state"] || {window: w.id, name: w.name, state: "closed"});
    const rows = Math.max(1, Math.ceil(windows.length / 9));
    $("windows").style.setProperty("--rows", rows);
    $("windows").style.setProperty("--cols", Math.ceil(windows.length / rows));
    $("windows").replaceChildren(...windows.map((w) => el("div", {class: "win-cell", "data-state": w.state, "data-window": w.window},
      fitted("div", "win-name", w.name, w.name.length > ONE_LINE ? 2 : 1),
      el("div", {class: "win-ticket"}, w.ticket || (w.state === "paused" ? "暂停" : w.state === "closed" ? "—" : windowStates.idle)))));
    const queues = boot.categories.map((c) => states["queue/" + c.id + "/state"]).filter(Boolean);
    $("queues").style.setProperty("--queues", queues.length);
    $("queues").replaceChildren(...queues.map((q) =>
      el("div", {class: "queue", "data-category": q.category}, fitted("span", "", q.prefix + " " + q.name, 1), el("b", {}, q.waiting))));
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
    // one row per ticket: a recall moves the ticket up (the hub's snapshot holds the same rule)
    call: (c) => { calls = [{...c, seen: Date.now()}, ...calls.filter((x) => x.ticket !== c.ticket)].slice(0, 12); render(); },
  });
})();
