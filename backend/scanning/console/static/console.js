// Staff scan console: a keyboard-wedge scanner types the code into the focused field and
// presses Enter. The device token lives in sessionStorage (this tab only) and is sent as
// a bearer token to /api/scan/v1; nothing here writes HTML from server data (textContent only).
"use strict";
(function () {
  const API = "/api/scan/v1";
  const KEY = "sw-device-token";
  const $ = (id) => document.getElementById(id);
  const FIELD_ZH = { eligible: "信用+资格", masked_name: "姓名", discount: "可享优惠", grade: "信用等级" };
  const SCENARIO_ZH = { transit: "信用+公交", lodging: "信用+住宿", medical: "信用+医疗", tourism: "信用+旅游", market: "信用+市场" };
  let lastCode = "";
  let lastScanId = null;

  async function call(path, body, headers) {
    const res = await fetch(API + path, {
      method: body ? "POST" : "GET",
      headers: Object.assign({ "Authorization": "Bearer " + sessionStorage.getItem(KEY),
                               "Content-Type": "application/json" }, headers || {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await res.json().catch(() => ({}));
    return { status: res.status, data };
  }

  function showScanner(on) {
    $("signin").hidden = on;
    $("scanner").hidden = !on;
    (on ? $("code-input") : $("device-token")).focus();
  }

  async function signIn(event) {
    event.preventDefault();
    sessionStorage.setItem(KEY, $("device-token").value.trim());
    const { status, data } = await call("/trust-bundle");
    if (status !== 200) {
      sessionStorage.removeItem(KEY);
      $("signin-error").textContent = "设备凭证无效或已停用";
      return;
    }
    $("device-token").value = "";
    $("signin-error").textContent = "";
    $("device-label").textContent = "场景：" + (SCENARIO_ZH[data.scenario] || data.scenario);
    showScanner(true);
  }

  function row(list, name, value) {
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = FIELD_ZH[name] || name;
    dd.textContent = value;
    list.append(dt, dd);
  }

  function render(data) {
    const ok = data.outcome === "valid";
    const banner = $("result-banner");
    banner.className = "banner " + (ok ? "ok" : "bad");
    banner.textContent = ok ? "✔ " + data.outcome_zh : "✘ " + data.outcome_zh;
    banner.dataset.outcome = data.outcome;
    const dl = $("disclosed");
    dl.replaceChildren();
    for (const [name, value] of Object.entries(data.disclosed || {})) {
      row(dl, name, name === "eligible" ? (value ? "符合" : "不符合") : Array.isArray(value) ? value.join("、") || "无" : value);
    }
    const ul = $("perks");
    ul.replaceChildren();
    for (const perk of data.incentives || []) {
      const li = document.createElement("li");
      const span = document.createElement("span");
      span.textContent = perk.title + "（本期剩余 " + perk.remaining + " 次）";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "grant";
      button.textContent = "发放";
      button.dataset.incentive = perk.code;
      // One key per perk per scan, reused if staff press again after a network error, so a grant
      // that was committed but whose answer was lost is returned, never given twice.
      const key = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);
      button.addEventListener("click", () => grant(perk, button, span, key));
      li.append(span, button);
      ul.append(li);
    }
    $("grant-message").textContent = "";
    $("receipt-box").hidden = true;
    $("result").hidden = false;
  }

  async function verify(event) {
    event.preventDefault();
    const input = $("code-input");
    lastCode = input.value.trim();
    lastScanId = null;
    input.value = "";
    if (!lastCode) return;
    const { status, data } = await call("/verify", { code: lastCode });
    if (status === 401) { sessionStorage.removeItem(KEY); showScanner(false); return; }
    if (status !== 200) { render({ outcome: "error", outcome_zh: (data.error && data.error.message) || "核验失败" }); }
    else { lastScanId = data.scan_id; render(data); }
    input.focus();
  }

  async function grant(perk, button, span, key) {
    button.disabled = true;
    const body = { code: lastCode, incentive: perk.code };
    if (lastScanId) body.scan_id = lastScanId;  // links the grant to this scan in the resident's history
    const { status, data } = await call("/redemptions", body, { "Idempotency-Key": key });
    if (status === 200 || status === 201) {
      $("grant-message").textContent = "已发放：" + perk.title;
      $("grant-message").className = "";
      span.textContent = perk.title + "（本期剩余 " + Math.max(0, perk.remaining - 1) + " 次）";
      button.textContent = "已发放";
      $("receipt").textContent = data.receipt;
      $("receipt-box").hidden = false;
    } else {
      $("grant-message").textContent = "未发放：" + ((data.error && data.error.message) || status);
      $("grant-message").className = "error";
      button.disabled = false;
    }
    $("code-input").focus();
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("signin-form").addEventListener("submit", signIn);
    $("scan-form").addEventListener("submit", verify);
    $("signout").addEventListener("click", () => { sessionStorage.removeItem(KEY); showScanner(false); });
    showScanner(Boolean(sessionStorage.getItem(KEY)));
  });
})();
