"use strict";
(() => {
  const {live, el, rows, duration, windowStates, words} = YC;
  const $ = (id) => document.getElementById(id);
  const pct = (x) => (x === null || x === undefined ? "—" : Math.round(x * 100) + "%");

  function render(d) {
    const t = d.totals;
    const waiting = d.categories.reduce((n, c) => n + c.waiting, 0);
    $("totals").replaceChildren(...[["今日取号", t.issued], [words.status.done, t.served], [words.status.waiting, waiting],
      ["平均等候", duration(t.avg_wait_s)], ["平均办理", duration(t.avg_handle_s)], ["满意率", pct(t.satisfaction)]]
      .map(([k, v]) => el("div", {class: "tile"}, el("span", {}, k), el("b", {}, v))));
    $("alerts").replaceChildren(...(d.alerts.length ? d.alerts.map((a) => el("li", {class: a.level, "data-kind": a.kind}, a.text))
      : [el("li", {class: "ok"}, "一切正常")]));
    rows($("categories").tBodies[0], d.categories, (c) => [c.prefix + " " + c.name, c.waiting,
      el("span", {class: c.waiting && c.longest_wait_s > c.wait_alert_s ? "bad" : ""}, c.waiting ? duration(c.longest_wait_s) : "—"),
      duration(c.avg_wait_s), c.issued]);
    rows($("windows").tBodies[0], d.windows, (w) => [w.name,
      el("span", {class: "badge", "data-state": w.state}, windowStates[w.state] + (w.reason ? "：" + w.reason : "")),
      w.ticket || "—", w.staff || "—", w.idle_s === null ? "—" : duration(w.idle_s)]);
    $("chart-hourly").innerHTML = d.charts.hourly;    // SVG made by our server from numbers only
    $("chart-waits").innerHTML = d.charts.waits;
    rows($("staff").tBodies[0], d.staff, (s) => [s.name, s.served, s.no_show, duration(s.avg_handle_s),
      s.ratings, s.avg_level === null ? "—" : s.avg_level.toFixed(1), s.bad_ratings]);
    $("csv").href = "/api/export/tickets.csv?date=" + d.date;
    $("xlsx").href = "/api/export/tickets.xlsx?date=" + d.date;
  }

  live("/api/events", {
    snapshot: (s) => { if (s.dashboard) render(s.dashboard); },
    dashboard: render,
  });
})();
