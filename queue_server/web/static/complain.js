"use strict";
// The citizen's 办不成事 complaint from a phone: what was tried, what went wrong, a phone to be
// answered on (optional). The answer: the case number and the day it will be answered by.
(() => {
  const {api, el, boot} = YC;
  const $ = (id) => document.getElementById(id);
  $("hall-name").textContent = boot.hall;
  $("item").append(...boot.items.map((i) => el("option", {value: i.code}, i.name)));
  $("complaint-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = ev.target;
    const body = {tried: f.tried.value, problem: f.problem.value};
    if (f.item.value) body.item = f.item.value;
    if (f.phone.value) body.phone = f.phone.value;
    try {
      const {case: c} = await api("POST", "/api/complaints", body);
      f.hidden = true;
      $("filed").hidden = false;
      $("filed-number").textContent = c.number;
      $("filed-due").textContent = "我们将在" + c.due + "前答复您";
      $("follow").href = "/c/" + c.url.split("/c/")[1];
    } catch (e) { $("message").textContent = e.message; }
  });
})();
