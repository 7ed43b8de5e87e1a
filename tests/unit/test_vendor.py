"""The vendored front-end files are all there, each with its licence, and nothing is loaded
from the internet: no template or static file points a script or stylesheet at http(s)://."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "app" / "static" / "vendor"
STATIC = ROOT / "app" / "static"
TEMPLATES = ROOT / "templates"

# A remote URL: http://, https:// or protocol-relative //host.
REMOTE = r"""(?:https?:)?//[^\s"'<>)]+"""
REMOTE_REFERENCES = [
    # <script src=...>, <link href=...> (stylesheets, preloads, icons), <img>/<iframe>/<source> src
    re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']?\s*""" + REMOTE, re.I),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*""" + REMOTE, re.I),
    re.compile(
        r"""<(?:img|iframe|source|embed|object)\b[^>]*\b(?:src|data)\s*=\s*["']?\s*""" + REMOTE,
        re.I,
    ),
    # CSS: @import "..."/url(...) and url(...) pointing off-site
    re.compile(r"""@import\s+(?:url\()?\s*["']?\s*""" + REMOTE, re.I),
    re.compile(r"""url\(\s*["']?\s*""" + REMOTE, re.I),
    # JS: ES module imports, dynamic import(), importScripts() from a URL
    re.compile(r"""\bimport\s*(?:[\w*{},\s]+from\s*)?\(?\s*["']""" + REMOTE, re.I),
    re.compile(r"""\bimportScripts\(\s*["']""" + REMOTE, re.I),
]


def vendored_entries() -> list[tuple[str, str]]:
    """Return (file, licence file) pairs from the table in app/static/vendor/README.md."""
    lines = (VENDOR / "README.md").read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    file_col, licence_col = header.index("File"), header.index("Licence file")
    entries = []
    for row in rows[2:]:  # skip the header and the |---| separator
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        entries.append((cells[file_col].strip("`"), cells[licence_col].strip("`")))
    return entries


def test_readme_lists_the_libraries():
    files = [f for f, _ in vendored_entries()]
    assert len(files) >= 6
    for expected in (
        "htmx.min.js",
        "chart.umd.min.js",
        "graphology.umd.min.js",
        "sigma.min.js",
        "pico.min.css",
    ):
        assert any(f.endswith(expected) for f in files), expected


@pytest.mark.parametrize(("filename", "licence"), vendored_entries())
def test_vendored_file_exists_with_its_licence(filename, licence):
    path = VENDOR / filename
    licence_path = VENDOR / licence
    assert path.is_file() and path.stat().st_size > 1000, f"{filename} is missing or empty"
    assert licence_path.is_file() and licence_path.stat().st_size > 100, f"{licence} is missing"
    assert licence_path.parent == path.parent, "the licence sits next to the file it covers"
    assert re.search(r"licen[cs]e|permission", licence_path.read_text(encoding="utf-8"), re.I)


def test_every_vendored_file_is_listed_or_a_licence():
    listed = {VENDOR / f for f, _ in vendored_entries()}
    for path in VENDOR.rglob("*"):
        if path.is_dir() or path.name == "README.md" or "license" in path.name.lower():
            continue
        assert path in listed, f"{path.relative_to(ROOT)} is not listed in vendor/README.md"


def test_vendored_files_are_modest_in_size():
    total = sum(p.stat().st_size for p in VENDOR.rglob("*") if p.is_file())
    assert total < 1_500_000, f"app/static/vendor is {total:,} bytes: vendor minified builds only"
    assert not list(VENDOR.rglob("*.map")), "source maps are not vendored"
    assert not (ROOT / "node_modules").exists() and not (ROOT / "package-lock.json").exists()


def web_files() -> list[Path]:
    files = [
        p for p in TEMPLATES.rglob("*") if p.is_file() and p.suffix in {".html", ".j2", ".jinja"}
    ]
    files += [
        p for p in STATIC.rglob("*") if p.is_file() and p.suffix in {".html", ".css", ".js", ".mjs"}
    ]
    return sorted(files)


def test_nothing_is_loaded_from_the_internet():
    offenders = []
    for path in web_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in REMOTE_REFERENCES:
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)[:120]}")
    assert not offenders, "remote assets referenced:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://unpkg.com/htmx.org"></script>',
        "<link rel=stylesheet href=//cdn.example/pico.css>",
        '@import url("https://fonts.googleapis.com/css?family=Inter");',
        "import Sigma from 'https://esm.sh/sigma';",
    ],
)
def test_remote_reference_patterns_catch_cdn_links(snippet):
    assert any(pattern.search(snippet) for pattern in REMOTE_REFERENCES)
