"use strict";
(() => {
  const {api, el, rows, duration, today, words} = YC;
  const $ = (id) => document.getElementById(id);
  const form = $("range");
  const pct = (x) => (x === null ? "—" : Math.round(x * 100) + "%");
  const d0 = new Date(Date.now() - 6 * 86400000);
  form.elements.from.value = d0.toISOString().slice(0, 10);
  form.elements.to.value = today();

  async function load() {
    $("error").textContent = "";
    try {
      const r = await api("GET", "/api/report?from=" + form.elements.from.value + "&to=" + form.elements.to.value);
      const t = r.totals;
      $("totals").replaceChildren(...[[words.ticket_action.issue, t.issued], [words.action.finish, t.served], [words.action.skip, t.no_show], ["平均等候", duration(t.avg_wait_s)],
        ["平均办理", duration(t.avg_handle_s)], ["评价", t.ratings], ["满意率", pct(t.satisfaction)], ["差评", t.bad_ratings]]
        .flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
      rows($("days").tBodies[0], r.days, (d) => [d.date, d.issued, d.served, d.no_show, duration(d.avg_wait_s), duration(d.avg_handle_s),
        d.ratings, pct(d.satisfaction), d.bad_ratings,
        el("span", {}, el("a", {href: "/api/export/tickets.csv?date=" + d.date}, "CSV"), " ", el("a", {href: "/api/export/tickets.xlsx?date=" + d.date}, "Excel"))]);
      rows($("cats").tBodies[0], r.categories, (c) => [c.name, c.issued, c.served, c.no_show, duration(c.avg_wait_s), duration(c.avg_handle_s)]);
      rows($("staff").tBodies[0], r.staff, (s) => [s.name, s.served, s.no_show, duration(s.avg_handle_s), s.ratings,
        s.avg_level === null ? "—" : s.avg_level.toFixed(1), s.bad_ratings]);
    } catch (e) {
      $("error").textContent = e.message;
    }
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  load();
})();
