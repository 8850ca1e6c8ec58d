"use strict";
// The 办不成事 window: a complaint filed and its slip printed; the cases this account leads
// (or that were filed here) worked with the same panel as the manager's.
(() => {
  const {api, el, rows, words, boot, casePanel, complaintBody} = YC;
  const $ = (id) => document.getElementById(id);
  const me = boot.session || {};
  $("item").append(...boot.items.map((i) => el("option", {value: i.code}, i.domain + " · " + i.name)));
  const local = (url) => "/c/" + url.split("/c/")[1];
  const panel = casePanel($("case-detail"), {
    role: (c) => c.lead === me.staff ? "lead" : "window",
    post: (number, step, body) => api("POST", "/api/window/cases/" + encodeURIComponent(number) + "/" + step, body),
    evidence: (number) => "/api/window/cases/" + encodeURIComponent(number) + "/evidence",
    changed: (c) => { load(); pick(c.number); }});
  async function pick(number) {
    const c = await api("GET", "/api/window/cases/" + encodeURIComponent(number));
    $("case-detail").hidden = false;
    panel.show(c, c.notes);
  }
  async function load() {
    const list = await api("GET", "/api/window/cases");
    rows($("list").tBodies[0], list, (c) => [
      el("a", {href: "#" + c.number, onclick: (ev) => { ev.preventDefault(); pick(c.number); }}, c.number),
      words.case_kind[c.kind], el("span", {class: "badge", "data-state": c.state}, words.case_state[c.state]),
      c.due, el("span", {class: "deadline-" + c.deadline}, c.deadline_text)]);
    $("none").hidden = list.length > 0;
  }
  $("complaint-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = ev.target;
    const body = complaintBody(f);
    try {
      const {case: c} = await api("POST", "/api/window/complaints", body);
      f.reset();
      $("message").textContent = "";
      $("filed").hidden = false;
      $("filed-number").textContent = c.number;
      $("filed-due").textContent = "答复期限：" + c.due;
      $("slip").href = local(c.url);
      load();
    } catch (e) { $("message").textContent = e.message; $("message").classList.add("error"); }
  });
  load();
  setInterval(load, 60000);
})();
