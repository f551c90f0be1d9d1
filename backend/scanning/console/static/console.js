// Staff scan console. A keyboard-wedge scanner types the code into the focused field and presses Enter,
// or the camera reads it (jsQR, served by this site). Every result is green (give the perk), amber (a genuine
// code, but nothing may be given: the reason says why) or red (the code is not accepted), clears itself after
// a visible countdown, and may beep. The device token lives in localStorage: entered once per device.
// Nothing here writes HTML from server data (textContent only).
"use strict";
(function () {
  const API = "/api/scan/v1";
  const KEY = "sw-device-token";
  const BEEP_KEY = "sw-console-beep";
  const $ = (id) => document.getElementById(id);
  const FIELD_ZH = { eligible: "信用+资格", masked_name: "姓名", discount: "可享优惠", grade: "信用等级", note: "提示" };
  const TONES = { green: [[880, 0.15]], amber: [[440, 0.12], [0, 0.08], [440, 0.12]], red: [[220, 0.5]] };
  let settings = {};
  let lastCode = "";
  let lastScanId = null;
  let shownCode = null;
  let countdown = null;
  let audio = null;
  let camera = null;

  function token() { return localStorage.getItem(KEY); }

  async function call(path, body, headers) {
    try {
      const res = await fetch(API + path, {
        method: body ? "POST" : "GET",
        headers: Object.assign({ "Authorization": "Bearer " + token(), "Content-Type": "application/json" },
                               headers || {}),
        body: body ? JSON.stringify(body) : undefined,
      });
      const data = await res.json().catch(() => ({}));
      return { status: res.status, data };
    } catch (e) {
      return { status: 0, data: { error: { message: "网络连接失败，请检查网络后重试" } } };
    }
  }

  function errorText(data, fallback) { return (data && data.error && data.error.message) || fallback; }

  // -- sign-in --------------------------------------------------------------------------------------

  function showScanner(on) {
    $("signin").hidden = on;
    $("scanner").hidden = !on;
    if (!on) { stopCamera(); clearResult(); $("device-label").textContent = ""; }
    (on ? $("code-input") : $("device-token")).focus();
  }

  async function loadToday() {
    const { status, data } = await call("/grants/today");
    if (status === 401) { forget(); return null; }
    if (status !== 200) return null;
    $("device-label").textContent = data.device.name + " · " + data.device.scenario_name;
    const list = $("today-list");
    list.replaceChildren();
    for (const g of data.items) {
      const li = document.createElement("li");
      const flagged = g.status === "flagged" ? "（离线发放，待复核）" : "";
      li.textContent = clock(g.granted_at) + "  " + g.incentive.title + flagged + "  凭证号 " + g.receipt_no;
      li.dataset.scanId = g.scan_id;
      li.dataset.incentive = g.incentive.code;
      list.append(li);
    }
    $("today-empty").hidden = data.items.length > 0;
    return data;
  }

  async function signIn(event) {
    event.preventDefault();
    unlockAudio();
    localStorage.setItem(KEY, $("device-token").value.trim());
    const today = await loadToday();
    if (!today) {
      localStorage.removeItem(KEY);
      $("signin-error").textContent = "设备凭证无效或已停用";
      return;
    }
    $("device-token").value = "";
    $("signin-error").textContent = "";
    showScanner(true);
  }

  function forget() { localStorage.removeItem(KEY); showScanner(false); }

  // -- result: colour, countdown, beep ---------------------------------------------------------------

  function clock(iso) {
    return new Date(iso).toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit", hour12: false,
                                                      timeZone: "Asia/Shanghai" });
  }

  function remainingZh(period, n) { return (settings.periods[period] || "本期") + "剩余 " + n + " 次"; }

  function showVerdict(colour, headline, reason) {
    const banner = $("result-banner");
    banner.className = "banner " + colour;
    $("result").dataset.colour = colour;
    $("result-headline").textContent = { green: "✓ ", amber: "⚠ ", red: "× " }[colour] + headline;
    $("result-reason").textContent = reason;
    beep(colour);
    startCountdown();
  }

  function startCountdown() {
    stopCountdown();
    let left = settings.clear_seconds;
    $("countdown-seconds").textContent = left;
    $("countdown").hidden = false;
    countdown = setInterval(() => {
      left -= 1;
      $("countdown-seconds").textContent = left;
      if (left <= 0) clearResult();
    }, 1000);
  }

  function stopCountdown() { if (countdown) { clearInterval(countdown); countdown = null; } }

  function clearResult() {
    stopCountdown();
    $("result").hidden = true;
    delete $("result").dataset.colour;
    $("result-banner").className = "banner";
    for (const id of ["result-headline", "result-reason", "grant-message", "receipt"]) $(id).textContent = "";
    $("disclosed").replaceChildren();
    $("perks").replaceChildren();
    $("receipt").hidden = true;
    shownCode = null;
    lastCode = "";
    lastScanId = null;
    if (!$("scanner").hidden) $("code-input").focus();
  }

  function unlockAudio() {
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      audio = new (window.AudioContext || window.webkitAudioContext)();
    }
    if (audio && audio.state === "suspended") audio.resume();
  }

  function beep(colour) {
    if (!$("beep-toggle").checked || !audio) return;
    let at = audio.currentTime;
    for (const [freq, seconds] of TONES[colour]) {
      if (freq) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = freq;
        gain.gain.value = 0.2;
        osc.connect(gain).connect(audio.destination);
        osc.start(at);
        osc.stop(at + seconds);
      }
      at += seconds;
    }
  }

  // -- verify and grant -----------------------------------------------------------------------------

  function row(list, name, value) {
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = FIELD_ZH[name] || name;
    dd.textContent = value;
    list.append(dt, dd);
  }

  function renderPerks(data) {
    const dl = $("disclosed");
    for (const [name, value] of Object.entries(data.disclosed || {})) {
      row(dl, name, name === "eligible" ? (value ? "符合" : "不符合")
                    : Array.isArray(value) ? value.join("、") || "无" : value);
    }
    // Part of the holder's file is being decided (异议/复议/诉讼): shown neutrally, beside the verdict.
    for (const note of data.notes || []) row(dl, "note", note);
    const ul = $("perks");
    for (const perk of data.incentives || []) {
      const li = document.createElement("li");
      const span = document.createElement("span");
      span.textContent = perk.title + "（" + remainingZh(perk.quota_period, perk.remaining) + "）";
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
  }

  async function verify(code) {
    clearResult();
    lastCode = code;
    shownCode = code;
    if (!code) return;
    const { status, data } = await call("/verify", { code });
    if (code !== lastCode) return;  // a newer scan replaced this one
    if (status === 401) { forget(); return; }
    $("result").hidden = false;
    if (status !== 200) { showVerdict("red", "核验失败", errorText(data, "核验失败（" + status + "）")); return; }
    lastScanId = data.scan_id;
    renderPerks(data);
    if (data.outcome !== "valid") {
      const known = settings.outcomes[data.outcome] || { headline: "信用码无效", reason: data.outcome_zh };
      const detail = settings.details[data.detail];
      showVerdict("red", known.headline, detail ? known.reason + "：" + detail : known.reason);
    } else if ((data.incentives || []).length) {
      showVerdict("green", settings.green, "可享优惠见下方，点“发放”");
    } else {  // genuine, nothing grantable: the server says why (the reason is kept on the scan)
      const answer = await call("/scans/" + data.scan_id);
      if (code !== lastCode) return;
      if (answer.status === 200) showVerdict(answer.data.colour, answer.data.headline, answer.data.reason);
      else showVerdict("amber", "不能发放", "暂时无法确认原因，请重新扫码");
    }
  }

  async function grant(perk, button, span, key) {
    button.disabled = true;
    const body = { code: lastCode, incentive: perk.code };
    if (lastScanId) body.scan_id = lastScanId;  // links the grant to this scan in the resident's history
    const { status, data } = await call("/redemptions", body, { "Idempotency-Key": key });
    startCountdown();  // staff are reading: give them the full time again
    if (status === 200 || status === 201) {
      $("grant-message").textContent = "已发放：" + perk.title;
      $("grant-message").className = "granted";
      span.textContent = perk.title + "（" + remainingZh(perk.quota_period, Math.max(0, perk.remaining - 1)) + "）";
      button.textContent = "已发放";
      const today = await loadToday();
      const entry = today && today.items.find((g) => g.scan_id === data.scan_id && g.incentive.code === perk.code);
      $("receipt").textContent = "凭证：" + perk.title + " · " + clock(data.granted_at)
                                 + (entry ? " · 凭证号 " + entry.receipt_no : "");
      $("receipt").hidden = false;
    } else {
      $("grant-message").textContent = "未发放：" + errorText(data, "请求失败（" + status + "）");
      $("grant-message").className = "error";
      if (status === 409) showVerdict("amber", "不能发放", errorText(data, "不符合条件"));
      button.disabled = status === 409;
    }
    $("code-input").focus();
  }

  function submitField(event) {
    event.preventDefault();
    unlockAudio();
    const input = $("code-input");
    const code = input.value.trim();
    input.value = "";
    verify(code);
  }

  // -- camera ---------------------------------------------------------------------------------------

  async function startCamera() {
    const status = $("camera-status");
    $("camera").hidden = false;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status.textContent = "此页面需通过 https（或本机地址）打开才能使用摄像头";
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      const video = $("camera-video");
      video.srcObject = stream;
      await video.play();
      camera = { stream, canvas: document.createElement("canvas"), timer: null };
      $("camera-toggle").textContent = "关闭摄像头";
      status.textContent = "请将信用码对准摄像头";
      readFrame();
    } catch (e) {
      status.textContent = e && e.name === "NotAllowedError" ? "未获得摄像头权限，请在浏览器设置中允许" : "无法打开摄像头";
    }
  }

  function readFrame() {
    if (!camera) return;
    const video = $("camera-video");
    if (video.videoWidth) {
      const { canvas } = camera;
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const ctx = canvas.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      const found = window.jsQR(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width,
                                canvas.height, { inversionAttempts: "dontInvert" });
      const code = found && found.data.trim();
      if (code && code !== shownCode) verify(code);  // the same code held up stays one scan until it clears
    }
    camera.timer = setTimeout(readFrame, 150);
  }

  function stopCamera() {
    if (camera) {
      clearTimeout(camera.timer);
      camera.stream.getTracks().forEach((t) => t.stop());
      camera = null;
    }
    $("camera").hidden = true;
    $("camera-toggle").textContent = "摄像头扫码";
  }

  document.addEventListener("DOMContentLoaded", () => {
    settings = JSON.parse(document.body.dataset.settings);
    $("signin-form").addEventListener("submit", signIn);
    $("scan-form").addEventListener("submit", submitField);
    $("clear-now").addEventListener("click", clearResult);
    $("camera-toggle").addEventListener("click", () => { unlockAudio(); camera ? stopCamera() : startCamera(); });
    $("beep-toggle").checked = localStorage.getItem(BEEP_KEY) === "1";
    $("beep-toggle").addEventListener("change", (e) => {
      unlockAudio();
      localStorage.setItem(BEEP_KEY, e.target.checked ? "1" : "0");
    });
    $("signout").addEventListener("click", forget);
    if (token()) { loadToday().then((today) => showScanner(Boolean(today))); } else { showScanner(false); }
  });
})();
