"use strict";
(() => {
  const {api, live, el, rows, duration, windowStates, words} = YC;
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

  // Tomorrow's plan: computed once a day by the server (seconds to a minute), asked once.
  function renderPlan(p) {
    $("plan-heading").textContent = p.heading;
    $("plan-day").textContent = p.date + " " + p.weekday;
    $("plan-note").textContent = p.message || (p.title + "。" + p.source);
    if (p.message) return;
    $("chart-plan").innerHTML = p.chart;     // SVG made by our server from numbers only
    const h = p.headings;
    $("plan-table").tHead.replaceChildren(el("tr", {}, ...[h.hour, h.expected, ...p.groups, h.total, h.longest]
      .map((x) => el("th", {}, x))));
    rows($("plan-table").tBodies[0], p.hours, (r) => [r.label, r.expected, ...r.windows, r.total,
      el("span", {class: r.over ? "bad" : "", title: r.over ? p.over_note : ""},
        r.longest_min === null ? "—" : r.longest_min + "分钟" + (r.over ? "（" + p.over_note + "）" : ""))]);
  }
  api("GET", "/api/plan/tomorrow").then(renderPlan, (e) => { $("plan-note").textContent = e.message; });

  live("/api/events", {
    snapshot: (s) => { if (s.dashboard) render(s.dashboard); },
    dashboard: render,
  });
})();
