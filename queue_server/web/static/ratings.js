"use strict";
(() => {
  const {api, el, today, clock, boot, words} = YC;
  const $ = (id) => document.getElementById(id);
  const form = $("range");
  const windowName = (id) => (boot.windows.find((w) => w.id === id) || {name: id || "—"}).name;
  form.elements.from.value = new Date(Date.now() - 29 * 86400000).toISOString().slice(0, 10);
  form.elements.to.value = today();

  function item(e) {
    const node = $("item").content.firstElementChild.cloneNode(true);
    node.dataset.id = e.id;
    node.querySelector(".what").textContent = e.date + " " + clock(e.ts) + " · " + windowName(e.window) + " · " + e.ticket;
    node.querySelector(".level").textContent = "评价：" + words.rating[e.level];
    node.querySelector(".reasons").textContent = e.reasons.length ? "群众选择的原因：" + e.reasons.map((r) => "“" + r + "”").join("、") : "群众未选择原因";
    node.querySelector(".served").textContent = "办理人员：" + (e.staff_name ? e.staff_name + "（工号 " + e.staff + "）" : e.staff || "—");
    const state = node.querySelector(".state");
    const f = node.querySelector("form");
    const r = e.rectification;
    state.textContent = r ? "已整改" : "待整改";
    state.dataset.state = r ? "idle" : "paused";
    if (r) { f.elements.cause.value = r.cause; f.elements.action.value = r.action; f.elements.callback.value = r.callback || ""; }
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const err = f.querySelector(".error");
      err.textContent = "";
      try {
        await api("POST", "/api/evaluations/" + e.id + "/rectification",
          {cause: f.elements.cause.value, action: f.elements.action.value, callback: f.elements.callback.value});
        state.textContent = "已整改";
        state.dataset.state = "idle";
      } catch (x) { err.textContent = x.message; }
    });
    return node;
  }

  async function load() {
    const list = await api("GET", "/api/evaluations?bad=1&from=" + form.elements.from.value + "&to=" + form.elements.to.value);
    $("list").replaceChildren(...(list.length ? list.reverse().map(item) : [el("p", {class: "card"}, "所选日期内没有差评")]));
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  load();
})();
