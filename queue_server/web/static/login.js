"use strict";
(() => {
  const form = document.getElementById("login");
  const error = document.getElementById("error");
  const select = form.elements.window;
  for (const w of YC.boot.windows) select.append(YC.el("option", {value: w.id}, w.name));
  const remembered = localStorage.getItem("yc-window");
  if (remembered) select.value = remembered;

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    const body = {staff: form.elements.staff.value.trim(), password: form.elements.password.value};
    if (select.value) body.window = select.value;
    form.querySelector("button").disabled = true;
    try {
      const me = await YC.api("POST", "/api/session", body);
      localStorage.setItem("yc-window", select.value);
      const next = new URLSearchParams(location.search).get("next");
      location.href = next && next.startsWith("/") && !next.startsWith("//") && !(me.window === null && next === "/caller") ? next : me.home;
    } catch (e) {
      error.textContent = e.message;
      form.elements.password.value = "";
      form.elements.password.focus();
    } finally {
      form.querySelector("button").disabled = false;
    }
  });
})();
