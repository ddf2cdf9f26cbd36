"""Write docs/tour.md and its images from the screenshots the year scenarios took.

The browser scenarios (tests/browser/test_year_*.py) leave ``var/screenshots/<preset>/`` with
PNG screenshots and a ``tour.json`` manifest (what each shot shows, who sees it, and the rules of
the seed the scenario proves). This script copies the shots to ``docs/tour/`` as JPEG (at most
1280 by 1600 pixels, so the repository stays small) and writes ``docs/tour.md``.

    make tour        # runs the five scenarios, then this script
"""

import json
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "var" / "screenshots"
TOUR = ROOT / "docs" / "tour"
PRESETS = ["zaanstad", "heemstede", "kampen", "wierden", "klassiek"]
MAX_WIDTH, MAX_HEIGHT = 1280, 1600

INTRODUCTION = """\
# A tour of Gesprekscyclus

A year of each of the five regulations, as the people involved see it. Every picture below was
taken by the browser scenario of its regulation (`tests/browser/test_year_<preset>.py`), which
drives the employee, the manager and the others through the year in Debian's chromium with the
server's clock moved between the steps. Everyone in them works on a phone-sized screen, 375
pixels wide; the pictures show the same pages at 1280. The scenarios check every page they visit
with axe-core (WCAG 2.1 A and AA) at both widths, and sign with the keyboard alone.

The pictures are regenerated with `make tour` (names and dates come from the test data).
Each section ends with the rules of the regulation that its scenario proves.
"""


def image(source: Path, target: Path) -> None:
    with Image.open(source) as picture:
        picture = picture.convert("RGB")
        if picture.width > MAX_WIDTH:
            picture = picture.resize((MAX_WIDTH, round(picture.height * MAX_WIDTH / picture.width)))
        if picture.height > MAX_HEIGHT:
            picture = picture.crop((0, 0, picture.width, MAX_HEIGHT))
        picture.save(target, "JPEG", quality=72, optimize=True, progressive=True)


def main() -> int:
    manifests = {preset: SCREENSHOTS / preset / "tour.json" for preset in PRESETS}
    missing = [preset for preset, path in manifests.items() if not path.exists()]
    if missing:
        print(
            f"No screenshots for {', '.join(missing)}: run the year scenarios first "
            "(make tour, or pytest tests/browser -k year).",
            file=sys.stderr,
        )
        return 1
    TOUR.mkdir(parents=True, exist_ok=True)
    for old in TOUR.glob("*.jpg"):
        old.unlink()
    lines = [INTRODUCTION]
    for preset, path in manifests.items():
        manifest = json.loads(path.read_text())
        lines += [f"## {manifest['title'] or preset}", ""]
        lines += [f"{manifest['pages_checked']} page views checked with axe at both widths.", ""]
        for shot in manifest["shots"]:
            name = f"{preset}-{shot['file'].removesuffix('.png')}.jpg"
            image(SCREENSHOTS / preset / shot["file"], TOUR / name)
            lines += [
                f"**{shot['caption']}** — {shot['person']}, `{shot['url']}`",
                "",
                f"![{shot['caption']}](tour/{name})",
                "",
            ]
        if manifest["rules"]:
            lines += ["What this scenario proves:", ""]
            lines += [f"- {rule['rule']} — {rule['how']}" for rule in manifest["rules"]]
            lines.append("")
    (ROOT / "docs" / "tour.md").write_text("\n".join(lines))
    print(f"docs/tour.md written with {sum(1 for _ in TOUR.glob('*.jpg'))} pictures.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
