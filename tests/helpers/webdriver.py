#!/usr/bin/env python3
"""tests/helpers/webdriver.py: a small W3C WebDriver client (stdlib only) for
the browser tests of the web interface (tests/e2e/t0900-ui.sh) and `make
screenshots`. chromedriver speaks plain HTTP and JSON, so no npm or selenium.

  webdriver.py serve PORT               run chromedriver on 127.0.0.1:PORT (exec)
  webdriver.py start W H LANG           a headless Chromium session: its id
  webdriver.py stop                     end the session
  webdriver.py go URL                   navigate (waits for the load)
  webdriver.py url                      the current URL
  webdriver.py source                   the DOM as HTML
  webdriver.py text CSS                 the visible text of the first match
  webdriver.py count CSS                how many elements match
  webdriver.py attrs CSS NAME           attribute NAME of each match, one a line
  webdriver.py fill CSS TEXT            clear an input and type TEXT
  webdriver.py click CSS                click the first match (waits for a load)
  webdriver.py cookie NAME              a cookie's value (exit 1 when absent)
  webdriver.py size W H                 resize the window
  webdriver.py shot FILE                a PNG of the whole page at the window's width

WD_URL (http://127.0.0.1:PORT) names chromedriver; WD_SID the session.
"""
import base64
import json
import os
import sys
import urllib.error
import urllib.request

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


def call(method, path, body=None):
    url = os.environ["WD_URL"] + path
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.load(r).get("value")
    except urllib.error.HTTPError as e:
        detail = e.read().decode(errors="replace")
        sys.exit("webdriver: %s %s: %s" % (method, path, detail[:500]))


def sess(path=""):
    return "/session/" + os.environ["WD_SID"] + path


def find_all(css):
    return call("POST", sess("/elements"), {"using": "css selector", "value": css})


def find(css):
    els = find_all(css)
    if not els:
        sys.exit("webdriver: no element matches %s" % css)
    return list(els[0].values())[0]


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "serve":
        os.execv(CHROMEDRIVER, [CHROMEDRIVER, "--port=" + args[0],
                                "--allowed-ips=127.0.0.1", "--log-level=SEVERE"])
    elif cmd == "start":
        w, h, lang = args
        opts = {"binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--no-first-run",
                         "--window-size=%s,%s" % (w, h), "--lang=" + lang,
                         "--hide-scrollbars"],
                "prefs": {"intl.accept_languages": lang}}
        v = call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": opts,
            "pageLoadStrategy": "normal"}}})
        print(v["sessionId"])
    elif cmd == "stop":
        call("DELETE", sess())
    elif cmd == "go":
        call("POST", sess("/url"), {"url": args[0]})
    elif cmd == "url":
        print(call("GET", sess("/url")))
    elif cmd == "source":
        sys.stdout.write(call("GET", sess("/source")))
    elif cmd == "text":
        print(call("GET", sess("/element/%s/text" % find(args[0]))))
    elif cmd == "count":
        print(len(find_all(args[0])))
    elif cmd == "attrs":
        for el in find_all(args[0]):
            eid = list(el.values())[0]
            print(call("GET", sess("/element/%s/attribute/%s" % (eid, args[1]))))
    elif cmd == "fill":
        eid = find(args[0])
        call("POST", sess("/element/%s/clear" % eid), {})
        call("POST", sess("/element/%s/value" % eid), {"text": args[1]})
    elif cmd == "click":
        call("POST", sess("/element/%s/click" % find(args[0])), {})
    elif cmd == "cookie":
        for c in call("GET", sess("/cookie")):
            if c["name"] == args[0]:
                print(c["value"])
                return 0
        return 1
    elif cmd == "media":
        # CSS media as a printer sees it ("print"), or back ("screen").
        call("POST", sess("/goog/cdp/execute"), {"cmd": "Emulation.setEmulatedMedia",
                                                 "params": {"media": args[0]}})
    elif cmd == "js":
        # The value of a script's return statement, printed.
        print(call("POST", sess("/execute/sync"), {"script": args[0], "args": []}))
    elif cmd == "size":
        call("POST", sess("/window/rect"), {"width": int(args[0]), "height": int(args[1])})
    elif cmd == "shot":
        # The whole page: the window as tall as the document, then a capture.
        h = call("POST", sess("/execute/sync"), {
            "script": "return Math.max(document.documentElement.scrollHeight, 400);",
            "args": []})
        rect = call("GET", sess("/window/rect"))
        call("POST", sess("/window/rect"), {"width": rect["width"], "height": min(int(h) + 140, 6000)})
        png = base64.b64decode(call("GET", sess("/screenshot")))
        with open(args[0], "wb") as f:
            f.write(png)
        call("POST", sess("/window/rect"), {"width": rect["width"], "height": rect["height"]})
    else:
        sys.exit("webdriver: unknown command %s" % cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
