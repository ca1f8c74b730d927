#!/usr/bin/env python3
"""The review console in headless Chromium, as a reviewer works it.

Starts `warden serve --console` on a copy of the default rules plus a live list, opens a case
with a fraud message, and in the page: claims and overturns it (its penalty is then gone from
/v1/penalties), adds a live list entry (the next check blocks), puts a label, reads the change
log and the rule history. Screenshots go to --screenshots (default: a temporary directory).

    python3 Tests/Browser/console.py [--binary .build/debug/warden] [--screenshots DIR]
"""
import argparse, json, os, shutil, sys, tempfile, time, urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from harness import ROOT, Checks, chromium, serve
LIVE_RULES = """
list live_phrases(live: true) = []

rule live_phrase "a phrase the risk team added while serving" {
  on send
  when text contains any live_phrases
  score 100
  penalty review
  tags "live"
}
"""

MEAL_RULE = """

rule meal_probe "a candidate: review every meal invitation" {
  on send
  when text contains "吃饭"
  score 60
  penalty review
}
"""


def call(base, method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={"content-type": "application/json"})
    if token:
        request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/warden"))
    parser.add_argument("--screenshots", default=None)
    args = parser.parse_args()
    shots = args.screenshots or tempfile.mkdtemp(prefix="warden-console-")
    os.makedirs(shots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="warden-console-state-")
    rules = os.path.join(work, "rules")
    shutil.copytree(os.path.join(ROOT, "rules"), rules)
    with open(os.path.join(rules, "90-live.rules"), "w") as f:
        f.write(LIVE_RULES)
    for name, token in (("admin", "console-admin"), ("reviewer", "console-reviewer")):
        with open(os.path.join(work, name), "w") as f:
            f.write(token)
    server, base = serve(args.binary, [
        "--rules", rules, "--state", "sqlite:" + os.path.join(work, "state.db"), "--admin-token-file", os.path.join(work, "admin"),
        "--reviewer-token-file", os.path.join(work, "reviewer"), "--console", "--archive", os.path.join(work, "archive")])
    check = Checks()
    driver = None
    try:
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        fraud = {"id": "m1", "type": "send", "ts": now, "account": "u1", "to": ["u2"], "text": "兼职刷单日赚300，加V领码", "code": "CODE7788"}
        decision = call(base, "POST", "/v1/check", fraud)
        check(decision.get("case") == "c1", f"the fraud message opened case c1: {decision.get('case')}")
        check(bool(call(base, "GET", "/v1/penalties?code=CODE7788")["penalties"]), "its code is revoked")

        driver = chromium("zh-CN")
        wait = WebDriverWait(driver, 15)
        driver.get(base + "/console")
        check(driver.title == "Warden 审核台", f"the page is served, in Chinese first: {driver.title!r}")
        external = driver.execute_script("return [...document.querySelectorAll('script[src],link[href],img[src]')].length")
        check(external == 0, "no external assets")
        wait.until(lambda d: d.find_element(By.ID, "status").text == "请先输入令牌")
        check(True, "without a token the page asks for one")

        driver.find_element(By.ID, "by").send_keys("alice")
        driver.execute_script("document.getElementById('by').dispatchEvent(new Event('change'))")
        driver.find_element(By.ID, "token").send_keys("console-reviewer")
        driver.execute_script("document.getElementById('token').dispatchEvent(new Event('change'))")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "tr[data-case='c1']"))
        check(True, "the queue lists case c1")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#text mark"))
        marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#text mark")]
        check(any("刷单" in m for m in marks), f"the evidence is marked in the text: {marks}")
        driver.save_screenshot(os.path.join(shots, "console-queue.png"))

        # Keys: c claims; the overturn button resolves with the label typed.
        # The queue may still be reloading (the token and the name each ask for it), and a key
        # pressed while no case is selected does nothing: press again, up to three times.
        for _ in range(3):
            driver.execute_script("document.activeElement.blur()")
            ActionChains(driver).send_keys("c").perform()
            try:
                WebDriverWait(driver, 8).until(lambda d: "alice" in d.find_element(By.ID, "detail").text)
                break
            except Exception:
                pass
        check("alice" in driver.find_element(By.ID, "detail").text,
              f"c claims the case for alice (status: {driver.find_element(By.ID, 'status').text!r})")
        driver.find_element(By.ID, "trainLabel").send_keys("ham")
        driver.find_element(By.ID, "note").send_keys("招聘广告，非诈骗")
        driver.find_element(By.ID, "overturn").click()
        wait.until(lambda d: "overturn" in d.find_element(By.ID, "detail").text)
        check("overturn · ham · alice" in driver.find_element(By.ID, "detail").text, "the case is resolved as overturned, label ham")
        check(call(base, "GET", "/v1/penalties?code=CODE7788")["penalties"] == [], "its penalty is gone from /v1/penalties")
        driver.save_screenshot(os.path.join(shots, "console-resolved.png"))

        # A live list entry: the next check blocks.
        driver.find_element(By.CSS_SELECTOR, "#tabs button[data-tab='lists']").click()
        wait.until(lambda d: d.find_element(By.ID, "listName").get_attribute("value") == "live_phrases")
        driver.find_element(By.ID, "entry").send_keys("扫码进群领红包")
        driver.find_element(By.ID, "entryReason").send_keys("新一波诱导分享")
        driver.find_element(By.ID, "entryAdd").click()
        wait.until(lambda d: "扫码进群领红包" in d.find_element(By.ID, "entries").text)
        check(True, "the entry is listed")
        after = call(base, "POST", "/v1/check", {"id": "m2", "type": "send", "ts": now, "account": "u3", "to": ["u4"], "text": "快来扫码进群领红包"})
        check(after["decision"] in ("review", "block") and any(f["rule"] == "live_phrase" for f in after["fired"]),
              f"the next check matches it: {after['decision']}, {[f['rule'] for f in after['fired']]}")
        driver.save_screenshot(os.path.join(shots, "console-lists.png"))

        # A label, then the change log names every change with its actor.
        driver.find_element(By.CSS_SELECTOR, "#tabs button[data-tab='labels']").click()
        driver.find_element(By.ID, "labelTarget").send_keys("u9")
        driver.find_element(By.ID, "labelName").send_keys("trusted")
        driver.find_element(By.ID, "labelReason").send_keys("认证商户")
        driver.find_element(By.ID, "labelAdd").click()
        wait.until(lambda d: "trusted" in d.find_element(By.ID, "labelRows").text)
        check(True, "the label is listed")
        driver.find_element(By.CSS_SELECTOR, "#tabs button[data-tab='changes']").click()
        wait.until(lambda d: "label_add" in d.find_element(By.ID, "changeRows").text)
        log = driver.find_element(By.ID, "changeRows").text
        check(all(k in log for k in ("case_claim", "lift", "case_resolve", "list_add", "label_add")) and "alice" in log,
              f"the change log lists claim, lift, resolve, list entry and label by alice")
        driver.save_screenshot(os.path.join(shots, "console-changes.png"))

        # An account: a 团长 whose downline has clean, returning, pending and flagged invitees.
        base_t = time.time() - 3 * 86400
        stamp = lambda hours: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(base_t + hours * 3600))
        invites = [{"id": "i1", "type": "issue", "ts": stamp(0), "account": "lead1", "code": "LEADCODE01", "tier": "personal",
                    "channel": "official_account", "ttl": 259200, "device": "lp", "ip": "100.64.1.7"}]
        invites += [{"id": f"r{k}", "type": "redeem", "ts": stamp(k), "account": f"a{k}", "code": "LEADCODE01", "device": f"d{k}",
                     "ip": f"10.0.{k}.5"} for k in range(1, 5)]
        invites += [{"id": f"rf{k}", "type": "redeem", "ts": stamp(4 + k), "account": f"f{k}", "code": "LEADCODE01", "device": "lp",
                     "ip": f"100.6{4 + k}.2.9"} for k in (1, 2)]
        invites += [{"id": "i2", "type": "issue", "ts": stamp(7), "account": "a1", "code": "A1CODE0001", "tier": "personal",
                     "channel": "official_account", "ttl": 259200, "device": "d1", "ip": "10.0.1.5"},
                    {"id": "r5", "type": "redeem", "ts": stamp(8), "account": "b1", "code": "A1CODE0001", "device": "d1", "ip": "10.0.1.5"}]
        invites += [{"id": f"s{k}", "type": "send", "ts": stamp(30 + k), "account": f"a{k}", "to": ["x"], "text": "在吗？明天一起吃饭"}
                    for k in (1, 2, 3)]
        verdicts = {e["id"]: call(base, "POST", "/v1/check", e)["decision"] for e in invites}
        check(verdicts["rf1"] == "review" and verdicts["rf2"] == "review" and verdicts["r1"] == "allow",
              f"redemptions on the leader's phone from elsewhere are reviewed: {verdicts}")
        driver.find_element(By.CSS_SELECTOR, "#tabs button[data-tab='accounts']").click()
        driver.find_element(By.ID, "accountId").send_keys("lead1\n")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#tree .node"))
        view = driver.find_element(By.ID, "accountView").text
        check("奖励等级 2" in view, f"the account shows its reward tier (3 qualified of 1/3/5): {view!r}")
        stats = [e.text.split("\n")[0] for e in driver.find_elements(By.CSS_SELECTOR, "#accountView .stat")]
        check(stats[:5] == ["6", "7", "3", "1", "2"], f"direct 6, all 7, qualified 3, pending 1, flagged 2: {stats}")
        nodes = driver.find_elements(By.CSS_SELECTOR, "#tree .node")
        check(len(nodes) == 6, f"the first level is open, the second collapsed: {len(nodes)} nodes")
        flagged = [n.get_attribute("data-account") for n in driver.find_elements(By.CSS_SELECTOR, "#tree .node.flagged")]
        check(sorted(flagged) == ["f1", "f2"], f"the flagged invitees are marked: {flagged}")
        chips = [n.get_attribute("data-account") for n in driver.find_elements(By.CSS_SELECTOR, "#tree .node") if n.find_elements(By.CSS_SELECTOR, ".chip")]
        # f1 and f2 redeemed on the leader's phone; a1 shares d1 with b1 (collapsed below it).
        check(sorted(chips) == ["a1", "f1", "f2"], f"accounts on a shared phone carry its colour: {chips}")
        driver.find_element(By.ID, "treeSearch").send_keys("b1")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#tree .node.hit"))
        hit = driver.find_element(By.CSS_SELECTOR, "#tree .node.hit").get_attribute("data-account")
        check(hit == "b1", f"a search opens the path to a second-level account: {hit}")
        joined = driver.find_element(By.CSS_SELECTOR, "#tree .node[data-account='a1'] .muted").text
        local = time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(base_t + 3600 + 8 * 3600)).replace("/0", "/")
        check(joined.startswith(local), f"times are in the rule set's zone (Asia/Shanghai): {joined!r}, expected {local!r}")
        driver.save_screenshot(os.path.join(shots, "console-account.png"))
        driver.find_element(By.CSS_SELECTOR, "#tree .node[data-account='a1'] .who").click()
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#accountView h2").text == "a1")
        check("lead1" in driver.find_element(By.ID, "accountView").text, "a node opens its own account, with its inviter")

        # Backtests (admin): a candidate that also reviews 吃饭 replayed over what this server checked.
        token = driver.find_element(By.ID, "token")
        token.clear()
        token.send_keys("console-admin")
        driver.execute_script("document.getElementById('token').dispatchEvent(new Event('change'))")
        driver.find_element(By.CSS_SELECTOR, "#tabs button[data-tab='backtests']").click()
        wait.until(lambda d: d.find_element(By.ID, "btText").get_attribute("value"))
        files = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#btFile option")]
        check("90-live.rules" in files and not any(f.endswith(".model") for f in files), f"the live rule set's text files are offered: {files}")
        Select(driver.find_element(By.ID, "btFile")).select_by_value("90-live.rules")
        text = driver.find_element(By.ID, "btText")
        text.send_keys(Keys.CONTROL, Keys.END)
        text.send_keys(MEAL_RULE)
        driver.find_element(By.ID, "btStart").click()
        wait.until(lambda d: "完成" in d.find_element(By.ID, "btRows").text)
        row = driver.find_element(By.ID, "btRows").text
        meals = sum(1 for e in invites if "吃饭" in e.get("text", ""))
        check(f" {meals}" in row.split("完成")[1], f"the run is done and {meals} decisions change: {row!r}")
        driver.find_element(By.CSS_SELECTOR, "#btRows button").click()
        wait.until(lambda d: "meal_probe" in d.find_element(By.ID, "btResult").text)
        result = driver.find_element(By.ID, "btResult").text
        check("放行" in result and "审核" in result and "meal_probe" in result, "the result shows the decision matrix and the rule that changes, in Chinese")
        changed = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "#btResult td.changed")]
        check(changed == [str(meals)], f"exactly one cell moved, allow → review, by {meals}: {changed}")
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(os.path.join(shots, "console-backtest.png"))
        driver.execute_script("document.getElementById('btResult').scrollIntoView()")
        driver.save_screenshot(os.path.join(shots, "console-backtest-result.png"))
        check("存档开始" in row, f"a run without 'since' reads from the archive's start: {row!r}")
        driver.find_element(By.CSS_SELECTOR, "#btResult .bar button").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#btResult iframe.report"))
        frame = driver.find_element(By.CSS_SELECTOR, "#btResult iframe.report")
        driver.switch_to.frame(frame)
        heading = driver.find_element(By.TAG_NAME, "h1").text
        page_text = driver.find_element(By.TAG_NAME, "body").text
        driver.switch_to.default_content()
        check(heading == "Warden 试运行对比" and "放行 → 审核" in page_text, f"the full report is the dry-run page, in Chinese: {heading!r}")
        driver.execute_script("document.querySelector('#btResult iframe').scrollIntoView()")
        driver.save_screenshot(os.path.join(shots, "console-backtest-report.png"))
        text.send_keys("\nrule broken {")
        driver.find_element(By.ID, "btStart").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#btDiagnostics li"))
        diagnostic = driver.find_element(By.ID, "btDiagnostics").text
        check(diagnostic.startswith("90-live.rules:") and "error" in diagnostic, f"a candidate that does not compile shows where: {diagnostic!r}")
        driver.save_screenshot(os.path.join(shots, "console-backtest-error.png"))

        # Rule history: the rule set served; a reviewer's rollback is refused (admin only).
        driver.find_element(By.CSS_SELECTOR, "#tabs button[data-tab='history']").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#historyRows tr"))
        check("当前" in driver.find_element(By.ID, "historyRows").text, "the serving rule set is marked")
        driver.find_element(By.ID, "lang").click()
        check(driver.find_element(By.CSS_SELECTOR, "#tabs button[data-tab='history']").text == "Rule history", "the page switches to English")
        driver.save_screenshot(os.path.join(shots, "console-history-en.png"))
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots in {shots}")
    if check.failures:
        print(f"{len(check.failures)} check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
