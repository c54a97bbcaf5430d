"""The reading edition and JupyterLab in a real browser: the system's headless Chromium.

Chromium and its driver come from the Debian packages ``chromium`` and ``chromium-driver``
(`make test` installs them when they are missing and it runs as root); selenium drives them by
their paths, so nothing is downloaded at run time. Where they cannot be installed these tests
skip and the test summary says why.
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers.registers import paths
from tests.text_checks import ENGLISH_WORDS, english_cells

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
KAZAKH = "әғқңөұүһі"


@pytest.fixture(scope="module")
def driver():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("the system's Chromium is not installed (Debian packages chromium and "
                    "chromium-driver; `make test` installs them when run as root)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,900", "--lang=en-GB"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(60)
    yield browser
    browser.quit()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(site):
    """The built site over HTTP on localhost (as a reader's browser would see it)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def wait_for(condition, timeout: float, what: str, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError):  # nothing listens there (yet)
        return 0, ""


def test_every_page_loads_with_no_broken_internal_link_and_no_missing_image(driver, served):
    todo, seen, broken, missing = [served + "index.html"], set(), [], []
    bodies: dict[str, str] = {}
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        driver.get(url)
        wait_for(lambda: driver.execute_script("return document.readyState") == "complete",
                 30, f"{url} to load")
        missing += [(url, src) for src in driver.execute_script(
            "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.src)")]
        for link in driver.execute_script(
                "return [...document.querySelectorAll('a[href]')].map(a => a.href)"):
            target, _, fragment = link.partition("#")
            if not target.startswith(served):
                continue
            if target not in bodies:
                bodies[target] = fetch(target)[1] if fetch(target)[0] == 200 else None
            if bodies[target] is None:
                broken.append((url, link))
            elif fragment and f'id="{fragment}"' not in bodies[target]:
                broken.append((url, link))
            elif target.endswith(".html") and "/_sources/" not in target:
                todo.append(target)
    expected = {"index.html", "kk/index.html", "ru/index.html", "reproduction.html",
                "kk/reproduction.html", "ru/reproduction.html", "sources.html", "validation.html",
                "bibliography.html", "national/00_literature_framing.html",
                "national/08_reproduction_report.html", "cities/almaty/index.html",
                "cities/almaty/04_pls_estimation.html"}
    assert {served + page for page in expected} <= seen, sorted(seen)
    assert not broken, broken[:20]
    assert not missing, missing[:20]


def test_kazakh_letters_render_with_a_font_that_has_them(driver, served):
    driver.get(served + "kk/index.html")
    heading = driver.find_element("css selector", "article h1").text
    assert set(KAZAKH) & set(heading.lower()), heading
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    root = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": "article h1"})
    fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode",
                                   {"nodeId": node["nodeId"]})["fonts"]
    families = {f["familyName"] for f in fonts}
    # every glyph of the heading was drawn with an installed font that has it: no fallback box
    assert sum(f["glyphCount"] for f in fonts) >= len(heading.replace(" ", "").replace("\n", ""))
    assert families <= {"DejaVu Sans", "Noto Sans", "Liberation Sans"}, families
    listed = subprocess.run(["fc-list", ":charset=04d9 04a3 049b", "family"],
                            capture_output=True, text=True).stdout
    assert any(family in listed for family in families), (families, listed)


def test_the_landing_page_in_each_language_is_drawn(driver, served, tmp_path):
    shots = Path(os.environ.get("SITE_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    titles = {}
    for lang, page in (("en", "index.html"), ("kk", "kk/index.html"), ("ru", "ru/index.html")):
        driver.get(served + page)
        titles[lang] = driver.find_element("css selector", "article h1").text
        table = driver.find_element("css selector", "table.verdicts")
        assert table.is_displayed() and table.size["height"] > 200
        png = shots / f"landing-{lang}.png"
        driver.save_screenshot(str(png))
        assert png.stat().st_size > 20_000  # a drawn page, not a blank one
    assert len(set(titles.values())) == 3, titles


def test_the_survey_form_prints_one_page_per_language(driver, served):
    from selenium.webdriver.common.print_page_options import PrintOptions

    driver.get(served + "survey-form.html")
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    pdf = base64.b64decode(driver.print_page(options))
    from helpers.registers.labels import LANGUAGES

    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == len(LANGUAGES), f"{pages} printed pages for {len(LANGUAGES)} languages"


# ----------------------------------------------------------------------------------------------
# JupyterLab on the study
# ----------------------------------------------------------------------------------------------

AUTOSAVE_SECONDS = 5

NOTEBOOK_STATE = """
const app = window.jupyterapp; const w = app && app.shell.currentWidget;
if (!w || !w.sessionContext || !w.content || !w.content.model) return null;
const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
const cells = w.content.model.cells; let pending = 0; const errors = []; const stderr = [];
for (let i = 0; i < cells.length; i++) {
  const c = cells.get(i); if (c.type !== 'code') continue;
  if (c.executionCount === null) pending++;
  for (let j = 0; j < c.outputs.length; j++) {
    const o = c.outputs.get(j).toJSON();
    if (o.output_type === 'error') errors.push(o.ename + ': ' + o.evalue);
    if (o.output_type === 'stream' && o.name === 'stderr') stderr.push(o.text);
  }
}
return {kernel: kernel ? kernel.status : null, dirty: w.context.model.dirty, pending: pending,
        errors: errors, stderr: stderr, title: w.title.label,
        shown_errors: [...document.querySelectorAll(
          '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
          .map(e => e.textContent.slice(0, 800))};
"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a temporary git copy of notebooks/, autosaving every few seconds."""
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("the system's Chromium is not installed (see the driver fixture)")
    base = tmp_path_factory.mktemp("lab")
    copy = base / "notebooks"
    shutil.copytree(paths.ROOT / "notebooks", copy, ignore=shutil.ignore_patterns(".*"))
    shutil.copy(paths.ROOT / ".gitignore", copy / ".gitignore")  # as in the repository
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "copy"]):
        subprocess.run([*git, *args], cwd=copy, check=True)
    settings = base / "settings" / "@jupyterlab"
    (settings / "docmanager-extension").mkdir(parents=True)
    (settings / "docmanager-extension" / "plugin.jupyterlab-settings").write_text(
        json.dumps({"autosave": True, "autosaveInterval": AUTOSAVE_SECONDS}))
    (settings / "apputils-extension").mkdir()
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port, token = free_port(), "browser-test"
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
           "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
           paths.OUTPUT_ROOT_VARIABLE: str(base / "out"), "MPLBACKEND": "Agg"}
    log = (base / "lab.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--allow-root",
         f"--port={port}", f"--ServerApp.token={token}", f"--ServerApp.root_dir={copy}",
         "--LabApp.expose_app_in_browser=True", "--ServerApp.disable_check_xsrf=False"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: fetch(f"{url}/api/status?token={token}")[0] == 200, 90,
                 "JupyterLab to start")
        yield {"url": url, "token": token, "copy": copy, "out": base / "out"}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.mark.parametrize("folder", ["", "kk/"], ids=["en", "kk"])
def test_jupyterlab_opens_notebook_04_leaves_it_clean_then_runs_it_without_errors(driver, lab,
                                                                                  folder):
    name = next(p.name for p in lab["copy"].glob(f"{folder}04_*.ipynb"))
    driver.get(f"{lab['url']}/lab/tree/{folder}{name}?token={lab['token']}")
    state = wait_for(lambda: (s := driver.execute_script(NOTEBOOK_STATE)) and s["title"] == name
                     and s["kernel"] == "idle" and s, 120, "the notebook and its kernel")
    time.sleep(3 * AUTOSAVE_SECONDS)  # left open, not run, past the autosave interval
    state = driver.execute_script(NOTEBOOK_STATE)
    status = subprocess.run(["git", "status", "--porcelain", "--", f"{folder}{name}"],
                            cwd=lab["copy"],
                            capture_output=True, text=True, check=True).stdout
    assert not state["dirty"] and status == "", (state, status)

    driver.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    state = wait_for(lambda: (s := driver.execute_script(NOTEBOOK_STATE)) and s["pending"] == 0
                     and s["kernel"] == "idle" and s, 300, "all cells to run", every=2)
    assert state["errors"] == [], state["errors"]
    # stderr may carry the study's own warnings (UserWarning ...), never a traceback or error
    for text in state["stderr"] + state["shown_errors"]:
        assert "Traceback" not in text and not re.search(r"\b\w*Error\b", text), text
    saved = lab["out"] / "reports" / "astana" / name.replace(".ipynb", ".json")
    assert saved.exists(), f"the notebook's last cell (ctx.save) wrote no {saved}"
    if folder == "kk/":  # the Kazakh notebook runs in Kazakh: its sentences, decimal commas
        assert json.loads(saved.read_text(encoding="utf-8"))["parameters"]["lang"] == "kk"
        shown = driver.execute_script(  # the outputs of the model (cells off screen included)
            "const w = window.jupyterapp.shell.currentWidget; const out = [];"
            "for (const c of w.content.model.cells) { const j = c.toJSON();"
            "  for (const o of (j.outputs || [])) { const t = (o.data || {})['text/markdown'];"
            "    if (t) out.push(Array.isArray(t) ? t.join('') : t); } }"
            "return out.join('\\n');")
        assert re.search(r"R² = \d,\d{3} \(түзетілген", shown), shown[:2000]



PROSE = """
const main = document.querySelector('main') || document.body;
return [...main.querySelectorAll('p, li, h1, h2, h3, h4, blockquote, dd, figcaption')]
  .filter(el => !el.closest('table, pre, .highlight, nav, .langswitch, .bd-sidebar-primary'))
  .map(el => { const c = el.cloneNode(true);
               c.querySelectorAll('code, cite, .citation, a.reference.external')
                .forEach(x => x.remove());
               return c.innerText; })
  .filter(t => t.trim());
"""


TABLES = """
const main = document.querySelector('main') || document.body;
return [...main.querySelectorAll('table th, table td')]
  .filter(el => !el.closest('table.program-settings, pre, .highlight, nav, .bd-sidebar-primary'))
  .map(el => { const c = el.cloneNode(true);
               c.querySelectorAll('code, cite, .citation, a.reference.external')
                .forEach(x => x.remove());
               return c.innerText.trim(); })
  .filter(t => t);
"""


def english_table_cells(driver) -> list[str]:
    """The table headers and cells of the page (not program output's settings tables) that read
    as English (tests/text_checks.py)."""
    return english_cells(driver.execute_script(TABLES))


def english_sentences(driver) -> list[str]:
    """The prose of the page (paragraphs, list items, headings; not tables, code or program
    output) that reads as English."""
    found = []
    for text in driver.execute_script(PROSE):
        for sentence in re.split(r"(?<=[.;:!?])\s+", text):
            words = re.findall(r"[a-z']+", sentence.lower())
            if sum(word in ENGLISH_WORDS for word in words) >= 3:
                found.append(sentence)
    return found


def test_the_kazakh_edition_reads_in_kazakh(driver, served):
    pages = ["kk/index.html", "kk/national/00_literature_framing.html",
             "kk/cities/almaty/04_pls_estimation.html", "kk/reproduction.html"]
    for page in pages:
        driver.get(served + page)
        wait_for(lambda: driver.execute_script("return document.readyState") == "complete",
                 30, f"{page} to load")
        nav = driver.execute_script(
            "return (document.querySelector('.bd-sidebar-primary') || document.body).innerText")
        for caption in ("Зерттеу", "Ұлттық блокноттар", "Қалалар", "Деректер және әдістер"):
            assert caption in nav, (page, caption, nav[:500])
        switch = driver.find_element("css selector", "p.langswitch")
        assert "Тіл" in switch.text and "English" in switch.text and "Русский" in switch.text
        english = english_sentences(driver)
        assert not english, (page, english[:5])
        english = english_table_cells(driver)  # table headers and cells too, not prose only
        assert not english, (page, english[:10])
        body = driver.find_element("css selector", "main").text
        assert set(KAZAKH) & set(body.lower()), page
        assert "Аудармалар — жобаның өз аудармалары" in driver.page_source, page
        if "04_pls" in page:  # notebook 04's computed sentences in Kazakh, decimal commas
            assert re.search(r"R² = \d,\d{3} \(түзетілген мәні \d,\d{3}", body), body[:3000]
    driver.get(served + "kk/cities/almaty/04_pls_estimation.html")
    # the switch leads to the same page in English
    driver.find_element("css selector", "p.langswitch a[hreflang=en]").click()
    wait_for(lambda: driver.current_url.endswith("/cities/almaty/04_pls_estimation.html")
             and "/kk/" not in driver.current_url, 30, "the English page")
    assert english_sentences(driver), "the English page has English prose (the check works)"
    assert english_table_cells(driver), "and English tables (the check works)"
