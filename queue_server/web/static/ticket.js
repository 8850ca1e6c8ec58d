"use strict";
(() => {
  const {live, el, clock, boot} = YC;
  const $ = (id) => document.getElementById(id);
  let lastStatus = null;
  const ENDED = ["done", "transferred", "cancelled"];

  // A skipped ticket is not the end: say what the citizen can still do, and by when.
  function advice(t) {
    if (t.status !== "no_show") return null;
    if (t.requeue_until && Date.now() / 1000 < t.requeue_until) {
      return "请在 " + clock(t.requeue_until) + " 前到取号机或窗口办理“过号重排”，重新排队；过了时间请重新取号。";
    }
    return "已过重排时间，如需办理请重新取号。";
  }

  function render(t) {
    $("category").textContent = t.category;
    $("item").hidden = !t.item;
    $("item").textContent = t.item || "";
    // 一次性告知书 given at the window: what is still missing, and the notice itself.
    $("notices").replaceChildren(...(t.notices || []).map((n) => el("a", {class: "notice-link", href: n.url},
      el("b", {}, "一次性告知书 " + n.number), "还需补齐：" + n.materials.join("、") + " ›")));
    $("number").textContent = t.number;
    $("status").textContent = t.status_text;
    $("card").dataset.status = t.status;
    const called = t.status === "called";
    $("called").hidden = !called;
    if (called) $("called").textContent = t.call_text;
    const tip = advice(t);
    $("advice").hidden = !tip;
    $("advice").textContent = tip || "";
    // the promise to tell about the call holds only while a call can still come
    $("note").hidden = t.status === "no_show" || ENDED.includes(t.status);
    const figures = t.status === "waiting"
      ? (t.waiting_for ? [["转到", t.waiting_for + "，请等候该窗口叫号"]] : []).concat(
        [["前面还有", t.waiting_ahead + " 人"], ["预计等候", t.wait_text], ["取号时间", clock(t.issued_at)]])
      : [["取号时间", clock(t.issued_at)]].concat(t.called_at ? [["叫号时间", clock(t.called_at)]] : []);
    $("figures").replaceChildren(...figures.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    showRating(t.rating, t.status === "done");
    if (called && lastStatus !== "called" && lastStatus !== null && navigator.vibrate) navigator.vibrate([300, 100, 300]);
    lastStatus = t.status;
  }

  // 好差评: once the service is over the page asks for a rating (the same rules as the pad and
  // the kiosk, kept by the server); a given rating shows, changeable for a few minutes.
  const R = boot.rating;
  let level = null, editing = false, shown = null;
  function ratingForm() {
    $("rating-ask").textContent = R.words.ask;
    $("reasons-ask").textContent = R.words.reasons;
    $("comment").placeholder = R.words.comment;
    $("comment").maxLength = R.comment_max;
    $("rating-phone").placeholder = R.words.phone;
    $("rating-submit").textContent = R.words.submit;
    $("rating-change").textContent = R.words.change;
    const levels = Object.keys(R.levels).sort((a, b) => b - a);
    $("levels").replaceChildren(...levels.map((k) => el("button", {type: "button", class: "level", "data-level": k}, R.levels[k])));
    $("reasons").replaceChildren(...R.reasons.map((r) => el("label", {class: "reason"}, el("input", {type: "checkbox", value: r}), r)));
    $("levels").addEventListener("click", (e) => {
      const b = e.target.closest("button.level");
      if (!b) return;
      level = Number(b.dataset.level);
      document.querySelectorAll("button.level").forEach((x) => x.classList.toggle("chosen", x === b));
      $("rating-bad").hidden = level > 2;
      $("rating-submit").hidden = false;
    });
    $("rating-submit").addEventListener("click", submit);
    $("rating-change").addEventListener("click", () => { editing = true; showRating(shown, true); });
  }
  async function submit() {
    const body = {level, via: R.via};
    if (level <= 2) {
      body.reasons = [...document.querySelectorAll("#reasons input:checked")].map((i) => i.value);
      const comment = $("comment").value.trim(), phone = $("rating-phone").value.trim();
      if (comment) body.comment = comment;
      if (phone) body.phone = phone;
    }
    $("rating-submit").disabled = true;
    try {
      const rating = await YC.api("POST", path + "/rating", body);
      editing = false;
      $("rating-error").hidden = true;
      showRating(rating, true);
    } catch (err) {
      $("rating-error").textContent = err.message;
      $("rating-error").hidden = false;
    } finally {
      $("rating-submit").disabled = false;
    }
  }
  function showRating(rating, finished) {
    $("rating").hidden = !finished;
    if (!finished) return;
    shown = rating || shown;
    const asking = !shown || editing;
    for (const id of ["levels", "rating-ask"]) $(id).hidden = !asking;
    if (!asking) { $("rating-bad").hidden = true; $("rating-submit").hidden = true; }
    $("rated").hidden = asking;
    if (asking) return;
    $("rated-text").textContent = R.words.thanks + "：" + shown.level_text +
      (shown.reasons.length ? "（" + shown.reasons.join("、") + "）" : "");
    const open = Date.now() / 1000 < shown.changeable_until;
    $("rated-note").textContent = open ? R.words.changeable : "";
    $("rating-change").hidden = !open;
  }
  ratingForm();

  function invalid(text, title) {
    $("rating").hidden = true;
    $("number").textContent = title || "无效";
    $("status").textContent = text;
    $("called").hidden = true;
    $("advice").hidden = true;
    $("figures").replaceChildren();
    $("note").hidden = true;
  }

  // Ask once first: an unknown or expired link is said at once and never listened to (an
  // endless reconnect would count as guessing against the hall's Wi-Fi address).
  const path = "/api/tickets/" + encodeURIComponent(boot.token);
  async function start() {
    let r;
    try { r = await fetch(path); } catch (e) { document.getElementById("offline").hidden = false; setTimeout(start, 3000); return; }
    document.getElementById("offline").hidden = true;
    const data = await r.json().catch(() => null);
    if (!r.ok) return invalid((data && data.error && data.error.message) || "暂时无法查询，请稍后刷新", r.status === 429 ? "请稍候" : "无效");
    render(data);
    const stream = live(path + "/events", {ticket: render, gone: () => { stream.stop(); invalid("这张号票已过期"); }});
  }
  start();
})();
