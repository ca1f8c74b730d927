#!/usr/bin/env python3
"""The playground in headless Chromium: type a rule, see the decision change.

Starts `warden serve --playground` on a free port with an admin token, drives the page with
Selenium (Debian's chromium and chromium-driver), and saves screenshots in the directory given
by --screenshots (default: a temporary one). Exit 0 when every check passes.

    python3 Tests/Browser/playground.py [--binary .build/debug/warden] [--screenshots DIR]
"""
import argparse, os, socket, subprocess, sys, tempfile, time, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/warden"))
    parser.add_argument("--screenshots", default=None)
    args = parser.parse_args()
    shots = args.screenshots or tempfile.mkdtemp(prefix="warden-playground-")
    os.makedirs(shots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="warden-playground-state-")
    token_file = os.path.join(work, "admin-token")
    with open(token_file, "w") as f:
        f.write("playground-test-token")
    port = free_port()
    server = subprocess.Popen(
        [args.binary, "serve", "--rules", os.path.join(ROOT, "rules"), "--port", str(port),
         "--admin-token-file", token_file, "--playground"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    failures = []

    def check(condition, what):
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            failures.append(what)

    driver = None
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        live_rules = urllib.request.urlopen(base + "/v1/rules", timeout=5).read()

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=en"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        wait = WebDriverWait(driver, 15)
        driver.get(base + "/playground")
        check(driver.title == "Warden playground", "the page is served")
        # No external assets: every script, style and image is inline.
        external = driver.execute_script(
            "return [...document.querySelectorAll('script[src],link[href],img[src]')].length")
        check(external == 0, "no external assets")

        # Without the token the API refuses, and the page says so.
        wait.until(lambda d: "admin token required" in d.find_element(By.ID, "status").text)
        check(True, "without the admin token the page shows the 401")

        token = driver.find_element(By.ID, "token")
        token.send_keys("playground-test-token")
        driver.execute_script("document.getElementById('token').dispatchEvent(new Event('change'))")
        verdict = lambda: driver.find_element(By.ID, "verdict").text.strip().lower()
        wait.until(lambda d: verdict() == "block")
        check(verdict() == "block", "the example event is blocked (fraud 80 + diversion 50)")
        marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#highlighted mark")]
        check("兼职" in marks and "刷单" in marks and "日赚" in marks, f"the evidence is highlighted in the text: {marks}")
        check("rule fraud_text" in driver.find_element(By.ID, "explain").text, "the explain trace is shown")
        driver.save_screenshot(os.path.join(shots, "playground-block.png"))

        # Type a rule change: fraud phrases now score 10, so 10 + 50 = 60 is a review.
        rules = driver.find_element(By.ID, "rules")
        text = rules.get_attribute("value")
        edited = text.replace("score 80", "score 1")
        caret = edited.index("score 1") + len("score 1")
        driver.execute_script("arguments[0].value = arguments[1]; arguments[0].focus(); arguments[0].setSelectionRange(arguments[2], arguments[2])",
                              rules, edited, caret)
        rules.send_keys("0")  # typed at the caret: "score 10", and the page's input event fires
        score = lambda: driver.find_element(By.ID, "score").text
        try:
            wait.until(lambda d: score() == "score 60")
        except Exception:
            pass
        check(score() == "score 60", f"the score follows the typed rule: 10 + 50 ({score()!r})")
        check(verdict() == "review", "and the verdict changes to review")
        driver.save_screenshot(os.path.join(shots, "playground-review.png"))

        # A mistake in the rules: the diagnostics name it, with its line.
        driver.execute_script(
            "const r = arguments[0]; r.value = r.value.replace('text contains any contact', 'text contains any contactz');"
            "r.dispatchEvent(new Event('input'))", rules)
        wait.until(lambda d: "contactz" in d.find_element(By.ID, "diagnostics").text)
        diagnostics = driver.find_element(By.ID, "diagnostics").text
        check("unknown name 'contactz'" in diagnostics and "did you mean 'contact'" in diagnostics, f"the error is listed: {diagnostics!r}")
        driver.save_screenshot(os.path.join(shots, "playground-error.png"))

        # The live rule set was never touched.
        check(urllib.request.urlopen(base + "/v1/rules", timeout=5).read() == live_rules, "the live rule set is unchanged")
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
    print(f"screenshots in {shots}")
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
