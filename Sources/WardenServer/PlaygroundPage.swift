/// The playground page (`GET /playground` on `warden serve --playground`): one self-contained
/// HTML file, no external assets. It holds nothing secret; what it sends goes to
/// `POST /v1/playground`, which needs the admin token (typed into the page, kept for the tab).
enum PlaygroundPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Warden playground</title>
<style>
  :root { --fg: #1d2330; --muted: #667085; --line: #d9dde5; --bg: #f6f7f9; --block: #b42318; --review: #b54708; --challenge: #6941c6; --allow: #067647; }
  * { box-sizing: border-box; }
  body { margin: 0; color: var(--fg); background: var(--bg);
    font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
  header { display: flex; gap: 12px; align-items: center; padding: 10px 16px; background: #fff; border-bottom: 1px solid var(--line); }
  header h1 { font-size: 16px; margin: 0; }
  header .note { color: var(--muted); flex: 1; }
  header input { width: 220px; padding: 4px 8px; border: 1px solid var(--line); border-radius: 4px; }
  #status { color: var(--muted); }
  #status.error { color: var(--block); }
  main { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; padding: 12px 16px; }
  section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 4px 0 8px; }
  textarea { width: 100%; border: 1px solid var(--line); border-radius: 4px; padding: 8px; resize: vertical;
    font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", "Sarasa Mono SC", monospace; }
  #rules { height: 420px; }
  #event { height: 120px; }
  #diagnostics { list-style: none; padding: 0; margin: 8px 0 0; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
  #diagnostics li.error { color: var(--block); }
  #diagnostics li.warning { color: var(--review); }
  .verdict { display: flex; gap: 10px; align-items: baseline; margin: 10px 0; }
  .badge { font-weight: 700; text-transform: uppercase; padding: 2px 10px; border-radius: 12px; color: #fff; background: var(--muted); }
  .badge.block { background: var(--block); } .badge.review { background: var(--review); }
  .badge.challenge { background: var(--challenge); } .badge.allow { background: var(--allow); }
  #fired { color: var(--muted); }
  #highlighted { white-space: pre-wrap; word-break: break-all; border: 1px solid var(--line); border-radius: 4px; padding: 8px; min-height: 2.2em; font-size: 15px; }
  mark { background: #fde68a; border-bottom: 2px solid #d97706; padding: 0 1px; }
  body.stale .verdict, body.stale #highlighted, body.stale #explain { opacity: .35; }
  #explain { white-space: pre-wrap; font: 12px/1.4 ui-monospace, Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; background: var(--bg);
    border-radius: 4px; padding: 8px; max-height: 420px; overflow: auto; margin: 0; }
</style>
</head>
<body>
<header>
  <h1>Warden playground</h1>
  <span class="note">Rules and events here are compiled and decided in a sandbox: the live rule set and its state are never touched.</span>
  <span id="status">ready</span>
  <input id="token" type="password" placeholder="admin token" autocomplete="off">
</header>
<main>
  <section>
    <h2>Rules</h2>
    <textarea id="rules" spellcheck="false" lang="zh-Hans">ruleset playground timezone "Asia/Shanghai"

list fraud_words(fold: ["all"]) = ["刷单", "兼职", "日赚"]
list contact = ["加v", "加微信", "vx"]

rule fraud_text "诈骗信息: fraud phrases" {
  on send
  when text contains any fraud_words
  score 80
}

rule diversion "引流: a contact handle" {
  on send
  when text contains any contact
  score 50
}

decide {
  block when score >= 100
  review when score >= 50
}
</textarea>
    <ul id="diagnostics"></ul>
  </section>
  <section>
    <h2>Event (one JSON object, or a list of them)</h2>
    <textarea id="event" spellcheck="false" lang="zh-Hans">{"type": "send", "account": "u1", "to": ["u2"], "text": "兼职刷单日赚300，加V领码"}</textarea>
    <div class="verdict"><span id="verdict" class="badge">…</span><span id="score"></span><span id="fired"></span></div>
    <h2>Evidence in the text</h2>
    <div id="highlighted" lang="zh-Hans"></div>
    <h2>Explain</h2>
    <pre id="explain"></pre>
  </section>
</main>
<script>
(() => {
  const $ = (id) => document.getElementById(id);
  const token = $("token");
  token.value = sessionStorage.getItem("warden-admin-token") || "";
  let sequence = 0, timer = null;

  function status(text, error) {
    $("status").textContent = text;
    $("status").className = error ? "error" : "";
  }

  function escape(text) {
    return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  }

  // Spans are in Unicode scalars; Array.from splits a string the same way.
  function highlight(text, spans) {
    const chars = Array.from(text || "");
    const labels = chars.map(() => []);
    for (const s of spans) for (let i = s.start; i < s.end && i < chars.length; i++) labels[i].push(s.rule + " · " + s.label);
    let html = "", i = 0;
    while (i < chars.length) {
      if (!labels[i].length) { html += escape(chars[i]); i++; continue; }
      const title = [...new Set(labels[i])].join("\n");
      let j = i;
      while (j < chars.length && labels[j].length && [...new Set(labels[j])].join("\n") === title) j++;
      html += '<mark title="' + escape(title) + '">' + escape(chars.slice(i, j).join("")) + "</mark>";
      i = j;
    }
    return html;
  }

  async function update() {
    const mine = ++sequence;
    let parsed;
    try { parsed = JSON.parse($("event").value); } catch (e) { status("event: " + e.message, true); return; }
    const body = { rules: $("rules").value };
    if (Array.isArray(parsed)) body.events = parsed; else body.event = parsed;
    sessionStorage.setItem("warden-admin-token", token.value);
    status("deciding…");
    let response, answer;
    try {
      response = await fetch("/v1/playground", {
        method: "POST", headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token.value }, body: JSON.stringify(body) });
      answer = await response.json();
    } catch (e) { if (mine === sequence) status("request failed: " + e.message, true); return; }
    if (mine !== sequence) return;
    if (!response.ok) { status(answer.error || ("HTTP " + response.status), true); return; }
    const list = $("diagnostics");
    list.innerHTML = "";
    for (const d of answer.diagnostics) {
      const li = document.createElement("li");
      li.className = d.severity;
      li.textContent = (d.line ? d.line + ":" + d.column + " " : "") + d.severity + ": " + d.message + (d.hint ? " (" + d.hint + ")" : "");
      list.appendChild(li);
    }
    // Rules that do not compile decide nothing: the last decision stays, greyed out.
    document.body.classList.toggle("stale", !answer.ok);
    if (!answer.ok) {
      status(answer.diagnostics.filter((d) => d.severity === "error").length + " error(s) in the rules: the decision shown is from the last rules that compiled", true);
      return;
    }
    const decision = answer.decisions[answer.decisions.length - 1];
    $("verdict").textContent = decision.decision;
    $("verdict").className = "badge " + decision.decision;
    $("score").textContent = "score " + decision.score;
    $("fired").textContent = decision.fired.length ? "fired: " + decision.fired.map((f) => f.rule).join(", ") : "no rule fired";
    const last = Array.isArray(parsed) ? parsed[parsed.length - 1] : parsed;
    $("highlighted").innerHTML = highlight(last.text || "", answer.highlights.filter((h) => h.field === "text"));
    $("explain").textContent = answer.explain;
    status("decided " + answer.decisions.length + " event" + (answer.decisions.length === 1 ? "" : "s"));
  }

  function schedule() { clearTimeout(timer); timer = setTimeout(update, 200); }
  $("rules").addEventListener("input", schedule);
  $("event").addEventListener("input", schedule);
  token.addEventListener("change", update);
  update();
})();
</script>
</body>
</html>
"""#
}
