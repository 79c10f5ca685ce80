"""Rebuild localisation/fonts/ from the Noto fonts of a Debian/Ubuntu machine.

    sudo apt-get install fonts-noto-core fonts-noto-cjk
    python packaging/make_fonts.py

Copies Noto Sans (Latin, Cyrillic, Vietnamese), Noto Sans Arabic and Noto Sans Khmer as they are,
and cuts Noto Sans CJK KR down to Hangul, Latin and punctuation with fontTools (about 2 MB a
weight instead of 19 MB for the whole collection). The cut face is renamed "Noto Sans KR Subset"
so that it never stands in for a full CJK font installed on the machine. All are OFL 1.1.
Run only when updating the fonts: the app and CI use the committed files.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "localisation" / "fonts"
TRUETYPE = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto")
COPIED = ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf",
          "NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf",
          "NotoSansMono-Regular.ttf"]  # code in lessons and labs; also arrows and the minus sign
# Check and cross marks for quiz feedback (no other face has them), from Noto Sans Symbols 2.
SYMBOL_RANGES = "U+2713-2718"
SYMBOL_FAMILY = "Noto Sans Symbols2 Subset"
# Latin, Latin-1, Hangul Jamo, punctuation, CJK symbols, compatibility Jamo, syllables, full-width forms.
KOREAN_RANGES = "U+0020-007E,U+00A0-00FF,U+1100-11FF,U+2000-206F,U+3000-303F,U+3130-318F,U+AC00-D7A3,U+FF01-FF60"
KOREAN_FAMILY = "Noto Sans KR Subset"
KR_INDEX = 1  # in NotoSansCJK-*.ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK


def cut(source: Path, target: Path, ranges: str, family: str, weight: str, *extra: str) -> None:
    """Keep only `ranges` of `source`, renamed `family` (an OFL Modified Version gets its own name)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    subset.main([str(source), *extra, f"--unicodes={ranges}", "--layout-features=*", f"--output-file={target}"])
    font = TTFont(target)
    for record in list(font["name"].names):
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID in (3, 4):
            record.string = f"{family} {weight}"
        elif record.nameID == 6:
            record.string = f"{family.replace(' ', '')}-{weight}"
    if "CFF " in font:
        font["CFF "].cff.fontNames = [f"{family.replace(' ', '')}-{weight}"]
    font.save(target)


def korean_subset(weight: str) -> None:
    cut(CJK / f"NotoSansCJK-{weight}.ttc", OUT / f"NotoSansKRSubset-{weight}.otf", KOREAN_RANGES, KOREAN_FAMILY,
        weight, f"--font-number={KR_INDEX}")


def main() -> int:
    missing = [p for p in [*(TRUETYPE / n for n in COPIED), TRUETYPE / "NotoSansSymbols2-Regular.ttf",
                           CJK / "NotoSansCJK-Regular.ttc"] if not p.is_file()]
    if missing:
        print("missing: " + ", ".join(map(str, missing)) + "\ninstall fonts-noto-core and fonts-noto-cjk", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copyfile(TRUETYPE / name, OUT / name)
    for weight in ("Regular", "Bold"):
        korean_subset(weight)
    cut(TRUETYPE / "NotoSansSymbols2-Regular.ttf", OUT / "NotoSansSymbols2Subset-Regular.ttf", SYMBOL_RANGES,
        SYMBOL_FAMILY, "Regular")
    total = sum(p.stat().st_size for p in OUT.glob("*.[ot]tf"))
    print(f"{OUT}: {total / 2**20:.1f} MiB of fonts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
