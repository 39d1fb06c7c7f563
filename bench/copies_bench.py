"""Speed of the district comparison (``core.copies``) on synthetic districts of 150 packages.

    python3 bench/copies_bench.py [--packages 150] [--copies 5] [--repeat 3]

The signatures of the fixture cases (``tests/data/district`` and ``tests/data/packages``) are extracted once;
a district of N packages is made from them by varying their text the way departments differ: sentences that
three or more of the fixture units print (the template) stay as they are but with each package's own
figures, every other sentence, 三级指标 and activity figure has one character in four changed (a hash of
the package and the place picks the new character), so no two synthetic packages share their own text.
Then ``--copies`` pairs are planted: a package takes another's first own paragraph and two of its specific
indicators.  Measured (CPU time of this process, median of ``--repeat``): building the index, the findings
of every case (what the batch asks), one case's findings (the index built), the district list, and the
window's whole path (every signature read from a store, the index, one case's findings); and whether the
planted copies, and nothing else, are found.  Never run as a test.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.copies import CHECK_INDICATORS, CHECK_TEXT, DistrictIndex, case_signature, cjk_count, norm

POOL = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


def fixture_signatures() -> list[dict]:
    from core.pipeline import extract_case

    folders = [p for p in sorted((ROOT / "tests" / "data" / "district").iterdir()) if p.is_dir()]
    folders += [p for p in sorted((ROOT / "tests" / "data" / "packages").iterdir())
                if p.is_dir() and p.name != "not_reviewable"]
    return [case_signature(extract_case([f]), case_id=f.name) for f in folders]


def _h(*parts: object) -> int:
    return int(hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def vary(text: str, n: int, salt: str) -> str:
    """One CJK character in four replaced, chosen by the package and the place."""
    out = []
    k = 0
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            k += 1
            if k % 4 == 0:
                ch = POOL[_h(n, salt, k) % len(POOL)]
        out.append(ch)
    return "".join(out)


def figures_of(text: str, n: int) -> str:
    return re.sub(r"\d+", lambda m: str((int(m.group(0)) * 7 + n * 13) % (10 ** len(m.group(0)))).zfill(
        len(m.group(0))), text)


def synthetic_district(base: list[dict], count: int, copies: int) -> tuple[list[dict], list[tuple[str, str]]]:
    ref = DistrictIndex(base)
    template = {n for n, posts in ref.sent_post.items() if len({ref.sigs[c].ident for c, _ in posts}) >= 3}
    common_l3 = {l3 for l3, units in ref.level3_units.items() if len(units) >= 3}
    out = []
    for n in range(count):
        b = copy.deepcopy(base[n % len(base)])
        cid = f"pkg{n:03d}"
        unit = f"某市某区第{n:03d}{vary('局办委中心', n, 'u')[:2]}"
        sents = []
        for s in b["sentences"]:
            t = str(s[0])
            t = figures_of(t, n) if norm(t) in template else vary(figures_of(t, n), n, "s" + t[:8])
            sents.append([t, *s[1:]])
        inds = []
        for r in b["indicators"]:
            l3 = r[0] if norm(r[0]) in common_l3 else vary(r[0], n, "i" + r[0])
            inds.append([l3, figures_of(r[1], n), *r[2:]])
        figs = [[vary(f[0], n, "f" + f[0]), str((int(float(f[1])) * 7 + n * 131) % 100000 + 1000), *f[2:]]
                for f in b["figures"]]
        out.append(dict(b, case_id=cid, unit=unit, unit_key=unit, digests=[cid], sentences=sents,
                        indicators=inds, figures=figs))
    planted = []
    for k in range(copies):
        src, dst = out[k * 7 % count], out[(k * 7 + count // 2) % count]
        own = [s for s in src["sentences"]
               if s[1] == "自评报告" and norm(s[0]) not in template and cjk_count(s[0]) >= 30]
        spec = [r for r in src["indicators"] if norm(r[0]) not in common_l3][:2]
        if not own or len(spec) < 2:
            continue
        para = [list(s) for s in src["sentences"] if s[1] == own[0][1] and s[3] == own[0][3] and s[2] == own[0][2]]
        dst["sentences"] = dst["sentences"] + [[s[0], s[1], s[2], 900 + k, s[4]] for s in para]
        dst["indicators"] = dst["indicators"] + [list(r) for r in spec]
        planted.append((src["case_id"], dst["case_id"]))
    return out, planted


def cpu() -> float:
    return time.process_time()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--packages", type=int, default=150)
    ap.add_argument("--copies", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--signatures", type=Path, help="cache of the fixture signatures (JSON)")
    args = ap.parse_args(argv)

    t = cpu()
    if args.signatures and args.signatures.is_file():
        base = json.loads(args.signatures.read_text(encoding="utf-8"))
    else:
        base = fixture_signatures()
        if args.signatures:
            args.signatures.write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
    print(f"fixture signatures: {len(base)} cases ({cpu() - t:.1f} s CPU to read them)")
    sigs, planted = synthetic_district(base, args.packages, args.copies)
    size = sum(len(json.dumps(s, ensure_ascii=False).encode()) for s in sigs)
    print(f"district: {len(sigs)} packages, {sum(len(s['sentences']) for s in sigs)} sentences, "
          f"{sum(len(s['indicators']) for s in sigs)} indicator rows, signatures {size / 1e6:.1f} MB as JSON, "
          f"{len(planted)} copies planted")

    build, every, one, listing = [], [], [], []
    for _ in range(args.repeat):
        t = cpu()
        index = DistrictIndex(sigs)
        build.append(cpu() - t)
        t = cpu()
        found = {s["case_id"]: index.findings(s["case_id"]) for s in sigs}
        every.append(cpu() - t)
        index2 = DistrictIndex(sigs)
        t = cpu()
        index2.findings(sigs[len(sigs) // 2]["case_id"])
        one.append(cpu() - t)
        t = cpu()
        rows = index.matches()
        listing.append(cpu() - t)
    tracemalloc.start()
    DistrictIndex(sigs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    med = statistics.median
    print(f"index build {med(build):.2f} s, findings of every case {med(every):.2f} s, one case's findings "
          f"{med(one) * 1000:.0f} ms, district list {med(listing):.2f} s (CPU, median of {args.repeat}); "
          f"index peak {peak / 1e6:.0f} MB (Python heap)")
    # the window's path: every signature read from the store, the index built, one case's findings
    import tempfile

    from core.copies import WorkspaceView, save_signature, workspace_index

    with tempfile.TemporaryDirectory() as tmp:
        for sig in sigs:
            save_signature(tmp, sig)
        view = WorkspaceView(Path(tmp), tuple((s["case_id"], "", tuple(s["digests"])) for s in sigs))
        t = cpu()
        workspace_index(view, [sigs[0]]).findings(sigs[0]["case_id"])
        window = cpu() - t
    print(f"the window's comparison of one case (read {len(sigs)} signatures from the store, index, findings): "
          f"{window:.2f} s CPU")
    flagged = {cid for cid, fs in found.items() if fs}
    expected = {c for pair in planted for c in pair}
    hits = sum(1 for a, b in planted
               if {CHECK_TEXT, CHECK_INDICATORS} <= {f.check for f in found[a]}
               and {CHECK_TEXT, CHECK_INDICATORS} <= {f.check for f in found[b]})
    print(f"planted copies found on both sides: {hits}/{len(planted)}; cases flagged: {len(flagged)} "
          f"(planted {len(expected)}, others {len(flagged - expected)}); district list rows: {len(rows)}")
    for cid in sorted(flagged - expected)[:5]:
        for f in found[cid]:
            print("  not planted:", cid, f.check, f.message[:100])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
