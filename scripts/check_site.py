"""Check the built book the way a reader meets it.

    python scripts/check_site.py _build/html      (run by `make book`)

Fails (exit 1) with a list of problems if a page in the table of contents
is missing, an image has no alt text or is blank (one colour: a figure or a
widget snapshot that drew nothing), or a notebook page has no Colab and
Binder launch buttons.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images_without_alt: list[str] = []
        self.images: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "img" and not (a.get("alt") or "").strip():
            self.images_without_alt.append(a.get("src") or "?")
        if tag == "img" and a.get("src"):
            self.images.append(a["src"] or "")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")


def toc_files() -> list[str]:
    """Every file named in _toc.yml, without extension."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [ch["file"] for ch in part.get("chapters", [])]
    return files


def is_blank(path: Path) -> bool:
    """Whether a raster image has a single colour (a PNG or JPEG that drew nothing)."""
    from PIL import Image

    with Image.open(path) as image:
        low_high = image.convert("RGB").getextrema()
    return all(low == high for low, high in low_high)


def check(html_dir: Path) -> list[str]:
    problems = []
    for name in toc_files():
        page = html_dir / f"{name}.html"
        if not page.exists():
            problems.append(f"{page}: page missing from the build")
            continue
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        for src in parser.images_without_alt:
            problems.append(f"{page}: image without alt text ({src[:60]})")
        for src in parser.images:
            image = (page.parent / src.split("#")[0].split("?")[0]).resolve()
            if image.suffix.lower() in (".png", ".jpg", ".jpeg") and image.is_file() and is_blank(image):
                problems.append(f"{page}: blank image ({src[:60]})")
        if (ROOT / f"{name}.ipynb").exists():
            for service in ("colab.research.google.com", "mybinder.org"):
                if not any(service in link for link in parser.links):
                    problems.append(f"{page}: no launch button for {service}")
    return problems


def main() -> int:
    html_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html")
    problems = check(html_dir)
    for p in problems:
        print(p)
    print(f"check_site: {len(toc_files())} pages checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
