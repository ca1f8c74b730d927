#!/usr/bin/env python3
"""The audit report in headless Chromium, as an analyst reads it.

Audits the 10k sample log and a generated invite log (scripts/make-invites.py) with the default
rules (zone Asia/Shanghai, so the report is in Chinese), opens the report file and checks: the
Chinese headings, findings grouped by account and rule with counts, the filter, the invite-tree
search, times in the rule set's zone; then the same audit with --lang en. Screenshots go to
--screenshots (default: a temporary directory).

    python3 Tests/Browser/report.py [--binary .build/debug/warden] [--screenshots DIR]
"""
import argparse, os, shutil, subprocess, sys, tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from harness import ROOT, Checks, chromium


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/warden"))
    parser.add_argument("--screenshots", default=None)
    args = parser.parse_args()
    shots = args.screenshots or tempfile.mkdtemp(prefix="warden-report-")
    os.makedirs(shots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="warden-report-work-")
    check = Checks()
    driver = None
    try:
        invites = os.path.join(work, "invites.jsonl")
        subprocess.run(["python3", os.path.join(ROOT, "scripts/make-invites.py"), "--seed", "3", "--trees", "300", "--chains", "8",
                        "--stars", "6", "--popular", "4", "--out", invites, "--labels", os.path.join(work, "labels")], check=True)
        zh, en = os.path.join(work, "zh.html"), os.path.join(work, "en.html")
        logs = [os.path.join(ROOT, "samples/events-10k.jsonl"), invites]
        for path, extra in ((zh, []), (en, ["--lang", "en"])):
            done = subprocess.run([args.binary, "audit", "--rules", os.path.join(ROOT, "rules"), "--report", path] + extra + logs,
                                  capture_output=True, text=True, cwd=work)
            check(done.returncode == 0, f"the audit ran ({' '.join(extra) or 'default language'}): {done.stderr[-300:]}")

        driver = chromium("zh-CN")
        wait = WebDriverWait(driver, 15)
        driver.get("file://" + zh)
        check(driver.title == "Warden 审计报告", f"a rule set in Asia/Shanghai gets a Chinese report: {driver.title!r}")
        headings = [h.text for h in driver.find_elements(By.TAG_NAME, "h2")]
        check("发现（按账号和规则分组）" in headings and "邀请关系树" in headings, f"Chinese headings: {headings}")
        rows = driver.find_elements(By.CSS_SELECTOR, "#findingsTable tbody tr")
        counts = [int(r.find_elements(By.TAG_NAME, "td")[3].text) for r in rows]
        check(len(rows) > 200 and max(counts) > 1, f"findings are grouped, with counts, and not cut at 200 rows: {len(rows)} groups, largest {max(counts)}")
        first = rows[0].find_elements(By.TAG_NAME, "td")
        check(first[0].text == "拦截", f"the most severe groups first: {first[0].text}")
        # e00000051 (bot0's first fan-out) is at 1793397111 = 2026-10-31T21:51:51Z, 05:51:51 in Shanghai.
        meta = driver.find_element(By.CSS_SELECTOR, "#findings + p").text
        bot = [r for r in rows if r.find_elements(By.TAG_NAME, "td")[1].text == "bot0"]
        check("Asia/Shanghai" in meta and bot and "e00000051 · 2026-10-31 05:51:51" in bot[0].text,
              f"times are in the rule set's zone, named above the table: {meta!r}")
        account = first[1].text
        driver.find_element(By.ID, "filter").send_keys(account)
        visible = [r for r in rows if r.is_displayed()]
        check(0 < len(visible) < len(rows) and all(account in r.text for r in visible),
              f"the filter keeps the rows of {account}: {len(visible)} of {len(rows)}")
        driver.save_screenshot(os.path.join(shots, "report-findings.png"))

        search = driver.find_element(By.CSS_SELECTOR, "#invite-trees ~ p input[type=search]")
        node = driver.find_element(By.CSS_SELECTOR, "svg.tree circle:nth-of-type(3)").get_attribute("data-account").split(" ")[0]
        driver.execute_script("arguments[0].scrollIntoView()", search)
        search.send_keys(node)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "svg.tree circle.hit"))
        hits = driver.find_elements(By.CSS_SELECTOR, "svg.tree circle.hit")
        check(hits and all(node in h.get_attribute("data-account") for h in hits), f"the tree search marks {node}: {len(hits)} node(s)")
        title = hits[0].find_element(By.TAG_NAME, "title").get_attribute("textContent")
        check("+08:00" in title and ("加入" in title or "根账户" in title), f"a node's tooltip is local and Chinese: {title}")
        driver.save_screenshot(os.path.join(shots, "report-trees.png"))

        driver.get("file://" + en)
        check(driver.title == "Warden audit", f"--lang en gives an English report: {driver.title!r}")
        headings = [h.text for h in driver.find_elements(By.TAG_NAME, "h2")]
        check("Findings by account and rule" in headings, f"English headings: {headings}")
    finally:
        if driver:
            driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots in {shots}")
    if check.failures:
        print(f"{len(check.failures)} check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
