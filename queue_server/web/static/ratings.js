"use strict";
(() => {
  const {api, el, today, clock, boot, words} = YC;
  const $ = (id) => document.getElementById(id);
  const form = $("range");
  const windowName = (id) => (boot.windows.find((w) => w.id === id) || {name: id || "—"}).name;
  form.elements.from.value = new Date(Date.now() - 29 * 86400000).toISOString().slice(0, 10);
  form.elements.to.value = today();

  const W = words.rating_page;

  // What the rating carries beside its level (docs/ratings.md): all as text, the comment too.
  function carries(node, e) {
    node.querySelector(".comment").textContent = W.comment + "：" + (e.comment ? "“" + e.comment + "”" : W.no_comment);
    node.querySelector(".who").textContent = W.channel + "：" + (words.rating_channel[e.channel] || e.channel || "—") +
      " · " + (e.named ? W.named : W.anonymous) + (e.phone ? " · " + W.phone + " " + e.phone : "");
    const first = e.created_at || e.ts;
    node.querySelector(".given").textContent = W.first + " " + clock(first) +
      (e.version > 1 ? " · " + W.changed.replace("{n}", e.version - 1) + " " + clock(e.ts) : "");
    const c = node.querySelector(".case");
    c.replaceChildren(e.case_number
      ? el("a", {href: "/manage/cases#" + encodeURIComponent(e.case_number)}, W.case + " " + e.case_number + "（" + words.case_state[e.case_state] + "）")
      : W.no_case);
  }

  function item(e) {
    const node = $("item").content.firstElementChild.cloneNode(true);
    node.dataset.id = e.id;
    node.querySelector(".what").textContent = e.date + " " + clock(e.ts) + " · " + windowName(e.window) + " · " + e.ticket;
    node.querySelector(".level").textContent = "评价：" + words.rating[e.level];
    node.querySelector(".reasons").textContent = e.reasons.length ? "群众选择的原因：" + e.reasons.map((r) => "“" + r + "”").join("、") : "群众未选择原因";
    node.querySelector(".served").textContent = "办理人员：" + (e.staff_name ? e.staff_name + "（工号 " + e.staff + "）" : e.staff || "—") +
      (e.item ? " · " + W.item + " " + e.item : "") + (e.application ? " · " + W.application + " " + e.application : "");
    carries(node, e);
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
