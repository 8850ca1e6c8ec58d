"use strict";
// 预约办理 on a phone: what -> day -> slot -> who; then the booking with its code and QR.
// "我的预约": the code and the last four ID digits find a booking to move or cancel.
(() => {
  const {api, el, boot} = YC;
  const $ = (id) => document.getElementById(id);
  const state = {category: null, service: null, date: null, slot: null, own: null, moving: false};
  $("hall-name").textContent = boot.hall;

  function tab(mine) {
    $("new").hidden = mine; $("mine").hidden = !mine; $("booking").hidden = true;
    $("tab-new").classList.toggle("on", !mine); $("tab-mine").classList.toggle("on", mine);
  }
  $("tab-new").onclick = () => { state.moving = false; tab(false); };
  $("tab-mine").onclick = () => tab(true);

  function choice(label, sub, on, chosen, disabled) {
    return el("button", {type: "button", class: chosen ? "choice on" : "choice", disabled, onclick: on},
              label, sub ? el("small", {}, sub) : null);
  }

  async function loadOffer() {
    const offer = await api("GET", "/api/booking/offer");
    const paint = () => $("categories").replaceChildren(...offer.categories.map((c) =>
      choice(c.name, null, () => { state.service = null; $("item").value = ""; pick(c.id); paint(); },
             state.category === c.id && !state.service)));
    paint();
    for (const it of offer.items) $("item").append(el("option", {value: it.code}, it.domain + " · " + it.name));
    $("item").onchange = () => {
      const it = offer.items.find((x) => x.code === $("item").value);
      state.service = it ? it.code : null;
      if (it) pick(it.category);
      paint();
    };
  }

  async function pick(category) {
    state.category = category; state.date = state.slot = null;
    $("step-slot").hidden = $("step-who").hidden = true;
    const days = await api("GET", "/api/booking/days?category=" + encodeURIComponent(category));
    $("step-day").hidden = false;
    $("no-days").hidden = days.length > 0;
    const paint = () => $("days").replaceChildren(...days.map((d) => {
      const left = d.slots.reduce((n, s) => n + s.left, 0);
      return choice(d.label, left ? "余" + left : "已约满", () => { state.date = d.date; paint(); slots(d); },
                    state.date === d.date, !left);
    }));
    paint();
    if (state.moving) $("step-day").scrollIntoView();
  }

  function slots(day) {
    state.slot = null;
    $("step-slot").hidden = false; $("step-who").hidden = true;
    const paint = () => $("slots").replaceChildren(...day.slots.map((s) =>
      choice(s.slot, s.left ? "余" + s.left : "约满", () => { state.slot = s.slot; paint(); chosen(day); },
             state.slot === s.slot, !s.left)));
    paint();
    $("step-slot").scrollIntoView();
  }

  async function chosen(day) {
    if (state.moving) return move(day);
    $("step-who").hidden = false;
    $("chosen").textContent = day.label + " " + state.slot;
    $("step-who").scrollIntoView();
  }

  $("step-who").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    const body = {date: state.date, slot: state.slot, name: f.name.value.trim(), phone: f.phone.value.trim(),
                  id_number: f.id_number.value.trim().toUpperCase()};
    if (state.service) body.service = state.service; else body.category = state.category;
    $("book-error").textContent = "";
    ev.target.querySelector("button").disabled = true;
    try {
      const b = await api("POST", "/api/bookings", body);
      state.own = {code: b.code, last4: b.id_last4};
      ev.target.reset();
      show(b);
    } catch (e) {
      $("book-error").textContent = e.message;
    } finally {
      ev.target.querySelector("button").disabled = false;
    }
  });

  $("find").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    const own = {code: f.code.value.trim(), last4: f.last4.value.trim().toUpperCase()};
    $("find-error").textContent = "";
    try {
      const b = await api("POST", "/api/bookings/lookup", own);
      state.own = own;
      show(b);
    } catch (e) {
      $("find-error").textContent = e.message;
    }
  });

  function show(b) {
    $("new").hidden = true; $("mine").hidden = true; $("booking").hidden = false;
    $("b-status").textContent = b.status_text;
    $("booking").dataset.status = b.status;
    $("b-code").textContent = b.code;
    $("b-qr").hidden = !b.qr;
    if (b.qr) $("b-qr").src = b.qr;
    const rows = [["业务", b.service_name || b.category_name], ["日期", b.date_label], ["时段", b.slot],
                  ["办事人", b.name], ["手机", b.phone], ["身份证", "尾号 " + b.id_last4]];
    $("b-figures").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v || "—")]));
    $("b-advice").textContent = b.status === "booked"
      ? "请在预约时段到大厅取号机点“预约签到”，输入预约码或扫二维码、刷身份证，取预约号优先办理。请记好预约码。"
      : "";
    $("b-actions").hidden = b.status !== "booked";
    $("b-error").textContent = "";
    state.category = b.category;
    window.scrollTo(0, 0);
  }

  $("b-cancel").onclick = async () => {
    if (!confirm("确定取消这个预约吗？")) return;
    try { show(await api("POST", "/api/bookings/cancel", state.own)); } catch (e) { $("b-error").textContent = e.message; }
  };
  $("b-move").onclick = () => {
    state.moving = true;
    tab(false);
    $("step-what").hidden = true;
    pick(state.category);
  };

  async function move(day) {
    try {
      const b = await api("POST", "/api/bookings/move", {...state.own, date: day.date, slot: state.slot});
      state.moving = false;
      $("step-what").hidden = false;
      show(b);
    } catch (e) {
      $("step-slot").append(el("p", {class: "error", role: "alert"}, e.message));
    }
  }

  loadOffer();
})();
