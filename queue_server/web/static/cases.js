"use strict";
// The manager's cases: bad ratings and 办不成事 complaints, overdue first; one case's steps.
(() => {
  const {api, el, rows, words, casePanel} = YC;
  const $ = (id) => document.getElementById(id);
  const form = $("filter");
  let open = null;
  const panel = casePanel($("case-detail"), {
    role: () => "manager",
    post: (number, step, body) => api("POST", "/api/cases/" + encodeURIComponent(number) + "/" + step, body),
    evidence: (number) => "/api/cases/" + encodeURIComponent(number) + "/evidence",
    changed: (c) => { load(); pick(c.number); }});
  async function pick(number) {
    open = number;
    const c = await api("GET", "/api/cases/" + encodeURIComponent(number));
    $("case-detail").hidden = false;
    panel.show(c, c.notes);
  }
  async function load() {
    const q = new URLSearchParams(form.all.checked ? {all: "1"} : {});
    if (form.kind.value) q.set("kind", form.kind.value);
    const list = await api("GET", "/api/cases?" + q);
    list.sort((a, b) => (b.deadline === "overdue") - (a.deadline === "overdue") || a.due.localeCompare(b.due));
    rows($("list").tBodies[0], list, (c) => [
      el("a", {href: "#" + c.number, onclick: (ev) => { ev.preventDefault(); pick(c.number); }}, c.number),
      words.case_kind[c.kind], c.department || "—", c.lead || "未指派",
      el("span", {class: "badge", "data-state": c.state}, words.case_state[c.state]), c.due,
      el("span", {class: "deadline-" + c.deadline}, c.deadline_text)]);
    $("none").hidden = list.length > 0;
  }
  form.addEventListener("change", load);
  load().then(() => { if (location.hash.length > 1) pick(decodeURIComponent(location.hash.slice(1))); });
  setInterval(() => { load(); }, 60000);
})();
