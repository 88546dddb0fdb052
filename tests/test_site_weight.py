"""A lighter first visit: icons without the 1.5 MB icon script, gzip copies, their server.

Needs ``_build/html`` (``make build``); the icon check runs in headless Chromium.
"""

from __future__ import annotations

import gzip
import urllib.request

import pytest

from tools.site import BUILD, serve, toc_pages

pytestmark = pytest.mark.browser

# Every icon element the theme draws: its ::before glyph, size, and the font it needs.
ICONS_JS = """() => Array.from(document.querySelectorAll('i[class*="fa-"]'))
    .filter(i => i.offsetParent !== null)
    .map(i => ({cls: i.className, glyph: getComputedStyle(i, '::before').content,
                width: i.getBoundingClientRect().width}))"""


def test_icons_are_drawn_by_the_theme_font_not_the_icon_script(browser):
    script = BUILD / "_static" / "scripts" / "fontawesome.js"
    assert script.stat().st_size < 2_000, "the theme's Font Awesome script is back"
    with serve(BUILD) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/{toc_pages()[1]}.html", wait_until="networkidle")
        page.evaluate("document.fonts.ready")
        icons = page.evaluate(ICONS_JS)
        assert len(icons) >= 4, "header buttons, search, contents"
        for icon in icons:
            assert icon["glyph"] not in ("none", "normal", '""'), icon
            assert icon["width"] > 4, icon
        assert page.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"')")
        # Every button or link showing an icon still has a name a screen reader reads.
        unnamed = page.evaluate("""() => Array.from(document.querySelectorAll('i[class*="fa-"]'))
            .map(i => i.closest('button, a')).filter(b => b && b.offsetParent !== null
            && !b.innerText.trim() && !b.getAttribute('aria-label')
            && !b.getAttribute('title')).map(b => b.outerHTML.slice(0, 120))""")
        assert unnamed == []
        # The search page's icon sits beside the typed words, not over them.
        page.goto(f"{url}/search.html?q=backlog", wait_until="networkidle")
        overlap = page.evaluate("""() => {
            const form = document.querySelector('.bd-search-container form.bd-search');
            const icon = form.querySelector('i').getBoundingClientRect();
            const input = form.querySelector('input');
            const textStart = input.getBoundingClientRect().left
                + parseFloat(getComputedStyle(input).paddingLeft);
            return icon.right - textStart; }""")
        assert overlap <= 0
        page.close()


def test_every_text_asset_has_a_current_gzip_copy():
    suffixes = {".html", ".js", ".css", ".svg"}
    assets = [p for p in BUILD.rglob("*") if p.suffix in suffixes and p.stat().st_size >= 1024]
    assert len(assets) > 20
    for path in assets:
        copy = path.with_name(path.name + ".gz")
        assert copy.exists(), f"no gzip copy of {path.relative_to(BUILD)}"
        assert gzip.decompress(copy.read_bytes()) == path.read_bytes(), "stale gzip copy"


def fetch(url: str, gzip_ok: bool) -> tuple[dict, bytes]:
    headers = {"Accept-Encoding": "gzip, deflate"} if gzip_ok else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return dict(response.headers), response.read()


def test_server_sends_the_gzip_copy_only_to_browsers_that_accept_it():
    page = f"{toc_pages()[1]}.html"
    raw = (BUILD / page).read_bytes()
    with serve(BUILD) as url:
        headers, body = fetch(f"{url}/{page}", gzip_ok=True)
        assert headers["Content-Encoding"] == "gzip"
        assert headers["Content-Type"].startswith("text/html")
        assert len(body) < len(raw) / 2 and gzip.decompress(body) == raw
        headers, body = fetch(f"{url}/{page}", gzip_ok=False)
        assert "Content-Encoding" not in headers and body == raw
        headers, body = fetch(f"{url}/", gzip_ok=True)   # the folder's index.html
        if headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        assert body == (BUILD / "index.html").read_bytes()
