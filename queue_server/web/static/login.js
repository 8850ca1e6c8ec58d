"use strict";
(() => {
  const form = document.getElementById("login");
  const error = document.getElementById("error");
  const select = form.elements.window;
  for (const w of YC.boot.windows) select.append(YC.el("option", {value: w.id}, w.name));
  const remembered = localStorage.getItem("yc-window");
  if (remembered) select.value = remembered;

  // A path of this console only, resolved the way the browser will (it reads "/\host" and
  // "/<tab>/host" as "//host", another origin): null for anything that leaves the console.
  function samePage(next) {
    if (!next || !next.startsWith("/")) return null;
    try {
      const url = new URL(next, location.origin);
      return url.origin === location.origin ? url.pathname + url.search + url.hash : null;
    } catch (e) {
      return null;    // not a URL at all ("//[")
    }
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    const body = {staff: form.elements.staff.value.trim(), password: form.elements.password.value};
    if (select.value) body.window = select.value;
    form.querySelector("button").disabled = true;
    try {
      const me = await YC.api("POST", "/api/session", body);
      localStorage.setItem("yc-window", select.value);
      const next = samePage(new URLSearchParams(location.search).get("next"));
      location.href = next && !(me.window === null && next === "/caller") ? next : me.home;
    } catch (e) {
      error.textContent = e.message;
      form.elements.password.value = "";
      form.elements.password.focus();
    } finally {
      form.querySelector("button").disabled = false;
    }
  });
})();
