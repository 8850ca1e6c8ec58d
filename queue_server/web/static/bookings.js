"use strict";
// The manager's bookings of a day (masked, as every view) and the capacity of each slot.
(() => {
  const {api, el, rows, today} = YC;
  const $ = (id) => document.getElementById(id);
  const form = $("filter");
  form.elements.date.value = today();

  async function load() {
    const list = await api("GET", "/api/manage/bookings?date=" + form.elements.date.value);
    rows($("list").tBodies[0], list, (b) => [b.slot, b.category_name, b.service_name || "—", b.name || "—",
      b.phone || "—", b.id_last4 ? "尾号" + b.id_last4 : "—", b.status_text]);
    const count = (s) => list.filter((b) => b.status === s).length;
    $("totals").textContent = `共 ${list.length} 个：已预约 ${count("booked")}，已签到 ${count("checked_in")}，` +
      `未到 ${count("missed")}，已取消 ${count("cancelled")}`;
  }

  async function capacities() {
    const table = await api("GET", "/api/manage/capacities");
    $("default").textContent = table.default;
    $("caps").tHead.rows[0].replaceChildren(el("th", {}, "时段"), ...table.categories.map((c) => el("th", {}, c.name)));
    $("caps").tBodies[0].replaceChildren(...table.slots.map((slot) => el("tr", {}, el("td", {}, slot),
      ...table.categories.map((c) => el("td", {}, el("input", {
        class: "cap", type: "number", min: 0, max: 999, value: c.capacity[slot],
        "data-cell": c.id + "@" + slot, "aria-label": c.name + " " + slot,
        onchange: (ev) => save(ev.target, c.id, slot)}))))));
  }

  async function save(input, category, slot) {
    $("cap-error").textContent = "";
    try {
      await api("PUT", "/api/manage/capacities", {category, slot, capacity: Number(input.value)});
      input.classList.add("saved");
    } catch (e) {
      $("cap-error").textContent = e.message;
    }
  }

  form.addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  load();
  capacities();
})();
