"use strict";
// Figures of ratings and cases by day, month, window, department or staff; charts; exports.
(() => {
  const {api, el, boot, today} = YC;
  const $ = (id) => document.getElementById(id);
  const form = $("range");
  const columns = ["served", "ratings", "coverage", "satisfied_rate", "bad_rate", "named_bad", "on_time_rate",
    "revisit_rate", "complaints", "overdue"];
  const rates = ["coverage", "satisfied_rate", "bad_rate", "on_time_rate", "revisit_rate"];
  const cell = (row, k) => rates.includes(k) ? (row[k] === null ? "—" : (row[k] * 100).toFixed(1) + "%") : row[k];
  form.from.value = today().slice(0, 8) + "01";
  form.to.value = today();
  async function load() {
    const q = new URLSearchParams({from: form.from.value, to: form.to.value, by: form.by.value});
    $("csv").href = "/api/case-figures.csv?" + q;
    $("xlsx").href = "/api/case-figures.xlsx?" + q;
    try {
      const r = await api("GET", "/api/case-figures?" + q);
      $("message").textContent = "";
      const t = $("figures");
      t.tHead.replaceChildren(el("tr", {}, el("th", {}, boot.columns["group_" + r.by]), columns.map((k) => el("th", {}, boot.columns[k]))));
      t.tBodies[0].replaceChildren(...r.rows.map((row) => el("tr", {}, el("td", {}, row.name || "—"), columns.map((k) => el("td", {}, cell(row, k))))));
      t.tFoot.replaceChildren(el("tr", {}, el("th", {}, boot.columns.total), columns.map((k) => el("th", {}, cell(r.total, k)))));
      $("chart-coverage").innerHTML = r.charts.coverage;       // SVG made by the server from numbers
      $("chart-on-time").innerHTML = r.charts.on_time_rate;
    } catch (e) { $("message").textContent = e.message; }
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  load();
})();
