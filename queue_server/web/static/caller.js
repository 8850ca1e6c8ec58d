"use strict";
(() => {
  const {api, live, el, rows, duration, clock, windowStates, boot, words} = YC;
  const rules = boot.rules;
  const me = boot.session;
  const states = {};           // "queue/a/state" -> payload, from the live stream
  let info = null;             // GET /api/window: name, categories, today's figures
  let stopped = false;
  let lastSkipped = "";        // the number 过号重排 offers first
  const $ = (id) => document.getElementById(id);
  // Which buttons make sense in which window state (the server checks again).
  const allowed = {
    idle: ["call_next", "pause", "requeue"],
    calling: ["recall", "start", "finish", "finish_not_done", "skip", "transfer", "requeue", "notice", "face_verify"],
    serving: ["finish", "finish_not_done", "transfer", "requeue", "notice", "face_verify"],
    paused: ["resume", "requeue"],
    closed: [],
  };

  const mine = () => states["window/" + me.window + "/state"] || {state: "closed"};
  const windowOf = (id) => states["window/" + id + "/state"] || {state: "closed"};
  const windowName = (id) => (boot.windows.find((w) => w.id === id) || {name: id}).name;
  // A window nobody calls for: a ticket sent there waits until someone logs in or resumes.
  const notCalling = {closed: "现在没有人登录", paused: words.done.pause};
  // At 0 the next 重呼 marks the ticket a no-show: the button says so before it is pressed.
  const recallIsLast = (w) => w.state === "calling" && w.recalls_left === 0;
  // The service item the current ticket was taken for (its name, the materials to tick).
  const itemOf = (w) => (w.ticket && w.service && boot.items[w.service]) || null;
  // 人证核验 of the current ticket's holder, when its category or item asks for it.
  const faceOf = (w) => (w.ticket && info && info.face && info.face.ticket === w.ticket && info.face) || null;
  const unverified = (face) => !!face && (face.result === "fail" || face.result === "not_done");
  function faceText(face) {
    const text = "人证核验：" + boot.face.results[face.result];
    if (unverified(face)) return text + "（" + boot.face.fallback + "）";
    return face.result === "staff" ? text + "（" + face.staff + " · " + clock(face.at) + "）" : text;
  }
  document.querySelector("[data-action=face_verify] .caption").textContent = boot.face.action;

  function render() {
    const w = mine();
    $("window-name").textContent = info ? info.name : "";
    $("staff-name").textContent = me.name;
    $("window-state").textContent = windowStates[w.state] + (w.state === "paused" && w.reason ? "：" + w.reason : "");
    $("window-state").dataset.state = w.state;
    $("ticket").textContent = w.ticket || "—";
    const item = itemOf(w);
    $("item-name").hidden = !item;
    $("item-name").textContent = item ? "办理事项：" + item.name : "";
    const face = faceOf(w);
    $("face-check").hidden = !face;
    $("face-check").textContent = face ? faceText(face) : "";
    $("face-check").classList.toggle("warn", unverified(face));
    $("ticket-info").textContent = w.ticket ? (w.state === "serving" ? "正在办理" : "已叫号，等待群众到窗口") : (w.state === "idle" ? "请叫下一位" : "");
    document.querySelectorAll("[data-action]").forEach((b) => {
      const ok = !stopped && (allowed[w.state] || []).includes(b.dataset.action);
      b.disabled = !ok;
      b.hidden = (b.dataset.action === "pause" && w.state === "paused") || (b.dataset.action === "resume" && w.state !== "paused") ||
        (b.dataset.action === "requeue" && !rules.requeue_within_min) ||
        (b.dataset.action === "notice" && !(item && item.materials.length)) ||
        (b.dataset.action === "face_verify" && !unverified(face));
    });
    const recall = document.querySelector("[data-action=recall]");
    recall.querySelector(".caption").textContent = recallIsLast(w) ? words.action.skip + "(重呼已满)" : words.action.recall;
    recall.classList.toggle("warn", recallIsLast(w));
    const sent = w.transferred_in || [];
    $("transferred-in").hidden = !sent.length;
    $("transferred-in").textContent = "转给本窗口 " + sent.length + "人：" + sent.join(" ");
    if (!info) return;
    rows($("queues").tBodies[0], info.categories.map((c) => states["queue/" + c + "/state"]).filter(Boolean),
      (q) => [q.prefix + " " + q.name, el("b", {class: "count"}, q.waiting + "人"), (q.next || []).join(" ")]);
    const t = info.today;
    $("today").replaceChildren(...[[words.action.finish, t.served + "件"], [words.action.skip, t.no_show + "个"], [words.action.transfer, t.transferred + "个"],
      ["平均办理", duration(t.avg_handle_s)], ["平均等候", duration(t.avg_wait_s)]]
      .flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  }

  async function refreshInfo() {
    try { info = await api("GET", "/api/window"); } catch (e) { if (lost(e)) return; }
    render();
  }

  function say(text, bad) {
    $("message").textContent = text;
    $("message").classList.toggle("error", !!bad);
  }

  const doneText = words.done;

  // What happened, said as it happened (a 重呼 past the limit is a no-show, not a recall).
  function outcome(action, t, args) {
    if (!t) return [doneText[action], false];
    if (action === "recall" && t.status === "no_show") return ["重呼已满，" + t.number + " 已记为过号", true];
    let text = doneText[action] + " " + t.number;
    if (action === "recall") text += "（第" + t.attempt + "次）";
    if (action === "skip" && t.requeue_until) text += "（" + clock(t.requeue_until) + "前可过号重排）";
    if (action === "requeue") text += "，前面还有 " + t.waiting_ahead + " 人";
    if (action === "transfer" && args.to_window) {
      const state = windowOf(args.to_window).state;
      text += " 到" + windowName(args.to_window) + (notCalling[state] ? "（该窗口" + notCalling[state] + "，要等有人叫号）" : "");
      return [text, !!notCalling[state]];
    }
    return [text, false];
  }

  async function act(action, args) {
    const path = {finish_not_done: "finish"}[action] || action;
    args = args || {};
    try {
      const data = await api("POST", "/api/window/" + path, action === "finish_not_done" ? {...args, outcome: "not_done"} : args);
      const t = data.ticket;
      if (t && t.status === "no_show") lastSkipped = t.number;
      const [text, warn] = outcome(action, t, args);
      say(text + " · " + clock(Date.now() / 1000), warn);
      if (action === "face_verify") refreshInfo();     // the window's state did not change
    } catch (e) {
      if (lost(e)) return;
      say(e.code === "no_ticket_waiting" ? "暂无等候的号" : e.message, true);
    }
  }

  // The window went to another browser or person, or the login itself is gone (the server
  // restarted: sessions live in its memory): stop at once and offer to log in again.
  function lost(e) {
    if (e.code === "taken_over") takenOver(e.message);
    else if (e.status === 401) takenOver("登录已失效（服务器重启或长时间未操作），请重新登录");
    else return false;
    return true;
  }

  function takenOver(text) {
    if (stopped) return;           // the first notice says why; later refusals only repeat it
    stopped = true;
    $("takeover-text").textContent = text;
    $("takeover").hidden = false;
    render();
  }

  const dialogs = {transfer: $("transfer-dialog"), pause: $("pause-dialog"), finish_not_done: $("not-done-dialog"),
    requeue: $("requeue-dialog"), confirm: $("confirm-dialog"), notice: $("notice-dialog")};
  const tf = $("transfer-form");
  for (const c of boot.categories) tf.elements.to_category.append(el("option", {value: c.id}, c.prefix + " " + c.name));
  for (const w of boot.windows) if (w.id !== me.window) tf.elements.to_window.append(el("option", {value: w.id}, w.name));
  dialogs.transfer.addEventListener("close", async () => {
    const v = dialogs.transfer.returnValue, f = tf.elements;
    if (v !== "ok") return;
    if (!f.to_category.value && !f.to_window.value) return say("请选择要转到的业务类别或窗口", true);
    const to = f.to_window.value, why = to && notCalling[windowOf(to).state];
    if (why && !await ask("转到" + windowName(to) + "？", windowName(to) + why + "，转过去的号要等该窗口有人叫号才会被叫到，群众可能久等。", "仍然转移")) return;
    act("transfer", to ? {to_window: to} : {to_category: f.to_category.value});
  });
  // The window list says which windows nobody calls for, before one is chosen.
  function labelWindows() {
    for (const o of tf.elements.to_window.options) {
      if (o.value) o.textContent = windowName(o.value) + (notCalling[windowOf(o.value).state] ? "（" + windowStates[windowOf(o.value).state] + "）" : "");
    }
  }

  // A yes/no question in the page's own dialog (Enter: yes, Esc: no).
  let answer = null;           // resolves the open question
  dialogs.confirm.addEventListener("close", () => {
    if (dialogs.confirm.open || !answer) return;     // the late close of an earlier question
    const resolve = answer;
    answer = null;
    resolve(dialogs.confirm.returnValue === "ok");
  });
  function ask(title, text, yes) {
    if (answer) answer(false);
    $("confirm-title").textContent = title;
    $("confirm-text").textContent = text;
    $("confirm-ok").firstChild.textContent = (yes || "确定") + " ";
    dialogs.confirm.returnValue = "";
    dialogs.confirm.showModal();
    return new Promise((resolve) => { answer = resolve; });
  }

  const nf = $("not-done-form");
  dialogs.finish_not_done.addEventListener("close", () => {
    if (dialogs.finish_not_done.returnValue !== "ok") return;
    const reason = nf.elements.reason.value.trim();
    if (!reason) {          // the reason is the point of 未办结: ask again
      nf.querySelector(".error").textContent = "请填写原因";
      dialogs.finish_not_done.returnValue = "";
      return dialogs.finish_not_done.showModal();
    }
    act("finish_not_done", {reason});
  });
  const rf = $("requeue-form");
  $("requeue-rule").textContent = words.action.skip + rules.requeue_within_min + "分钟内的号可重新排队一次，排在后面第" + rules.requeue_behind + "位之后。";
  dialogs.requeue.addEventListener("close", () => {
    const number = rf.elements.number.value.trim().toUpperCase();
    if (dialogs.requeue.returnValue === "ok" && number) act("requeue", {number});
  });
  // 一次性告知: tick what is missing; the notice lists all of it and only it. It opens in a
  // new tab for the window's printer (the browser's print), and the citizen's phone shows it.
  const ntf = $("notice-form");
  function fillNotice() {
    const item = itemOf(mine());
    $("notice-item").textContent = mine().ticket + " · " + item.name;
    ntf.querySelector(".error").textContent = "";
    $("notice-materials").replaceChildren(...item.materials.map((m) =>
      el("label", {class: "check"}, el("input", {type: "checkbox", name: "material", value: m,
        onchange: () => { ntf.querySelector(".error").textContent = ""; }}), " " + m)));
  }
  dialogs.notice.addEventListener("close", async () => {
    if (dialogs.notice.returnValue !== "ok") return;
    const materials = [...ntf.querySelectorAll("input[name=material]:checked")].map((b) => b.value);
    if (!materials.length) {
      ntf.querySelector(".error").textContent = "请勾选所缺的材料";
      dialogs.notice.returnValue = "";
      return dialogs.notice.showModal();
    }
    try {
      const {notice} = await api("POST", "/api/window/notice", {materials});
      say("已出具一次性告知书 " + notice.number + "（" + notice.materials.length + "项材料），群众手机号票页可查看 · " + clock(Date.now() / 1000), false);
      window.open(new URL(notice.url).pathname, "_blank");
    } catch (e) {
      if (!lost(e)) say(e.message, true);
    }
  });
  dialogs.pause.addEventListener("close", () => {
    if (dialogs.pause.returnValue === "ok") act("pause", {reason: $("pause-form").elements.reason.value});
  });

  // Enter confirms a dialog wherever the focus is (a focused <select> would swallow it), Esc cancels.
  for (const d of Object.values(dialogs)) {
    d.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); d.close("ok"); } });
  }

  // One target only: picking a category clears the window and the other way round.
  tf.elements.to_category.addEventListener("change", () => { if (tf.elements.to_category.value) tf.elements.to_window.value = ""; });
  tf.elements.to_window.addEventListener("change", () => { if (tf.elements.to_window.value) tf.elements.to_category.value = ""; });

  // 过号 cannot be taken back at the window (only the citizen's 过号重排 brings the ticket back): ask first.
  const confirmations = {
    skip: (w) => [words.action.skip, "确认 " + w.ticket + " 过号？"],
    recall: (w) => recallIsLast(w) && ["重呼已满", w.ticket + " 已叫过 " + (rules.max_recalls + 1) + " 次，再重呼将记为过号。确认过号？"],
  };

  async function press(action) {
    if (dialogs[action]) {
      if (action === "transfer") { tf.reset(); labelWindows(); }    // never the last transfer's target again
      if (action === "finish_not_done") { nf.reset(); nf.querySelector(".error").textContent = ""; }
      if (action === "requeue") rf.elements.number.value = lastSkipped;
      if (action === "notice") fillNotice();
      dialogs[action].returnValue = "";
      dialogs[action].showModal();
      return;
    }
    const question = confirmations[action] && confirmations[action](mine());
    if (question && !await ask(question[0], question[1], "确认过号")) return;
    act(action);
  }

  document.querySelectorAll("[data-action]").forEach((b) => b.addEventListener("click", () => press(b.dataset.action)));
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.repeat) return;
    if (document.querySelector("dialog[open]") || /INPUT|SELECT|TEXTAREA/.test(ev.target.tagName)) return;
    const button = [...document.querySelectorAll("[data-key]")].find((b) => b.dataset.key === ev.key.toLowerCase() && !b.hidden && !b.disabled);
    if (button) { ev.preventDefault(); press(button.dataset.action); }
  });

  live("/api/events", {
    snapshot: (s) => { Object.assign(states, s.states); render(); refreshInfo(); },
    state: (m) => { states[m.key] = m.value; render(); if (m.key === "window/" + me.window + "/state") refreshInfo(); },
    takeover: (m) => takenOver(m.message),
  });
  // 预约签到 at the window: the booking's ticket (预约优先) joins its queue; call it as usual.
  $("checkin-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const input = ev.target.elements.code;
    try {
      const data = await api("POST", "/api/window/checkin", {code: input.value.trim()});
      const t = data.ticket;
      say((data.checked_in_before ? "已签到过，号码 " : "签到成功，号码 ") + t.number + "（预约优先）", false);
      input.value = "";
    } catch (e) {
      say(e.message, true);
    }
  });
})();
