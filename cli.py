"""The command line of ``python main.py``: argument parsing only — a command of the core, or the window.

    python main.py                         the window (empty, or on the last case)
    python main.py FILE_OR_DIR...          the window on these files as one case
    python main.py extract FILE_OR_DIR... [-o OUT.json]
    python main.py export FILE_OR_DIR... -o OUT_DIR [--case CASE.json] [--fresh] [--store DIR]
                                           with the reviewer's saved review of these files, if there is one
    python main.py history FILE_OR_DIR... [--restore N]   the saved reviews of a case; restore an older one
    python main.py sample                  the bundled sample package: the window where there is a display,
                                           else extract + export to ./sample_output
    python main.py batch DIR -o OUT_DIR [--jobs N] [--preset ID] [--reviewer NAME] [--fresh] [--store DIR]
                                           every department of DIR (subfolders; loose PDFs grouped by unit):
                                           OUT_DIR/<单位>/ workbooks and OUT_DIR/汇总表_<区县或文件夹>.xlsx
    python main.py --version | --help

Exit codes (contract.md): 0 success (findings are not failures); 2 bad usage; 3 no input could be read;
4 output could not be written.  Bad input never prints a traceback: each unreadable file is named with its
Chinese reason on stderr.  A first argument that is neither a command nor an existing file or folder is a
mistyped command (exit 2, with the closest command), never a window on a file called "exprot".
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_USAGE, EXIT_NO_INPUT, EXIT_OUTPUT = 0, 2, 3, 4
COMMANDS = ("extract", "export", "sample", "batch", "history")

# argparse's own words, in Chinese (it looks them up through ``argparse._`` each time it prints)
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "不是有效的%(type)s：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值：%r",
    "unexpected option string: %s": "意外的选项：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "int": "整数",
}
argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]
argparse.ngettext = lambda one, many, n: {  # type: ignore[attr-defined]
    "expected %s argument": "需要%s个值"}.get(one, one if n == 1 else many)


def _utf8_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        except Exception:
            pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a Chinese hint, as contract.md says
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}", file=sys.stderr)
        hint = _closest_option(message)
        if hint:
            print(hint, file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _closest_option(message: str) -> str:
    """"您是否要使用 --fresh？" for an option argparse did not recognise, from every option of every command."""
    import difflib

    if "不认识的参数" not in message:
        return ""
    known = sorted({o for p in _all_parsers() for a in p._actions for o in a.option_strings})
    for word in message.split("：", 1)[-1].split():
        if word.startswith("-"):
            match = difflib.get_close_matches(word.split("=", 1)[0], known, n=1, cutoff=0.6)
            if match:
                return f"您是否要使用 {match[0]}？"
    return ""


def _all_parsers() -> list[argparse.ArgumentParser]:
    top = build_parser()
    subs = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    return [top] + [p for a in subs for p in a.choices.values()]


def _prog() -> str:
    return Path(sys.argv[0]).stem if getattr(sys, "frozen", False) else "main.py"  # jixiao-cli when frozen


def _preset_help() -> str:
    try:
        from core.scoring.presets import list_presets

        ids = "；".join(f"{pid}＝{name}" for pid, name in list_presets())
    except Exception:  # a broken resources folder must not break --help
        ids = "见 resources/presets"
    return f"共性指标评分预设（默认为第一个）：{ids}"


def build_parser() -> argparse.ArgumentParser:
    from core import __version__

    prog = _prog()
    usage = (f"\n  {prog}                          打开审核窗口（空白，或上次的审核）"
             f"\n  {prog} FILE_OR_DIR...           在审核窗口中打开这些文件（一个部门的材料）"
             f"\n  {prog} 命令 [参数…]             命令见下；{prog} 命令 --help 看该命令的说明")
    p = _Parser(prog=prog, usage=usage, add_help=False, formatter_class=argparse.RawDescriptionHelpFormatter,
                description="部门整体支出绩效自评材料审核工具。",
                epilog="退出码：0 成功（发现问题不算失败）；2 参数错误；3 没有可读取的输入；4 无法写入输出。\n"
                       "审核窗口中保存的审核记录（修改、结论、手工录入的数值）默认用于 export 和 batch；"
                       "加 --fresh 忽略。")
    p.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(dest="command", title="命令", metavar="命令")
    preset_help = _preset_help()
    store_help = "审核记录所在的文件夹（默认：审核窗口保存审核记录的位置，以及材料所在工作区的 .jixiao/reviews）"
    district_help = ("地区设置文件（JSON：本地区不采用的审核规则等；默认：材料所在工作区的 .jixiao/district.json，"
                     "没有则采用全部规则）")

    def command(name: str, help_: str, **kw) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help_, description=kw.pop("description", help_), add_help=False,
                           prog=f"{prog} {name}", **kw)
        c.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
        return c

    ex = command("extract", "读取一个部门的材料，提取字段、检查并评分，输出JSON")
    ex.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR", help="PDF、Word、Excel、WPS或OFD文件，或文件夹（文件夹即其中所有这些文件）")
    ex.add_argument("-o", "--output", metavar="OUT.json", help="写入此JSON文件（默认输出到屏幕）")
    ex.add_argument("--password", metavar="PW", help="加密PDF的打开密码")
    ex.add_argument("--preset", metavar="ID", help=preset_help)
    ex.add_argument("--district", metavar="FILE", help=district_help)
    xp = command("export", "提取并导出Excel（基础数据表、自评表、共性指标、问题清单、修改记录）和复核意见（Word）",
                 description="提取并导出Excel。默认采用审核窗口中保存的这些文件的审核记录（审核人的修改、结论和"
                             "手工录入的数值），并在屏幕上说明；加 --fresh 则忽略审核记录，重新提取。")
    xp.add_argument("inputs", nargs="*", metavar="FILE_OR_DIR", help="PDF、Word、Excel、WPS或OFD文件，或文件夹（用 --case 时可省略）")
    xp.add_argument("-o", "--output", required=True, metavar="OUT_DIR", help="工作簿写入此文件夹")
    xp.add_argument("--case", metavar="CASE.json", help="从指定的审核记录文件导出（含审核人的修改）")
    xp.add_argument("--fresh", action="store_true", help="忽略保存的审核记录，按材料重新提取后导出")
    xp.add_argument("--store", metavar="DIR", action="append", default=[], help=store_help)
    xp.add_argument("--password", metavar="PW", help="加密PDF的打开密码")
    xp.add_argument("--preset", metavar="ID", help=preset_help)
    xp.add_argument("--district", metavar="FILE", help=district_help)
    sp = command("sample", "打开内置示例材料（无显示器时导出到 ./sample_output）")
    sp.add_argument("-o", "--output", default="sample_output", metavar="OUT_DIR",
                    help="不打开窗口时，工作簿写入此文件夹（默认 sample_output）")
    sp.add_argument("--headless", action="store_true", help="不打开窗口，只导出")
    bp = command("batch", "批量审核一个文件夹中所有部门的材料，导出各部门工作簿和汇总表",
                 description="DIR 下每个子文件夹是一个部门；直接放在 DIR 中的PDF按其中印的单位名称分组。"
                             "各部门的工作簿写入 OUT_DIR/<单位名称>/，汇总表写入 OUT_DIR/汇总表_<区县或文件夹名>.xlsx。"
                             "材料未变的部门沿用上次的提取结果（缓存在 OUT_DIR/.cache 或 DIR/.jixiao）。"
                             "已在审核窗口中审核过的部门按保存的审核记录导出（加 --fresh 忽略）。")
    bp.add_argument("folder", metavar="DIR", help="放着各部门材料的文件夹")
    bp.add_argument("-o", "--output", required=True, metavar="OUT_DIR", help="工作簿和汇总表写入此文件夹")
    bp.add_argument("--jobs", type=int, metavar="N", help="并行进程数（默认：CPU核数，最多4）")
    bp.add_argument("--preset", metavar="ID", help=preset_help)
    bp.add_argument("--district", metavar="FILE", help=district_help)
    bp.add_argument("--reviewer", default="", metavar="NAME", help="审核人姓名（写入工作簿）")
    bp.add_argument("--fresh", action="store_true", help="忽略保存的审核记录，各部门都按材料重新提取")
    bp.add_argument("--store", metavar="DIR", action="append", default=[], help=store_help)
    hp = command("history", "列出一个部门保存过的审核记录（当前的和较早的），或恢复较早的一份",
                 description="列出这些文件的审核记录：第1份是当前的，其余是被替换前保留下来的较早版本。"
                             "--restore N 把第N份恢复为当前的审核记录（当前的那份先保留到历史中，不会丢失）。")
    hp.add_argument("inputs", nargs="*", metavar="FILE_OR_DIR", help="PDF、Word、Excel、WPS或OFD文件，或文件夹（用 --case 时可省略）")
    hp.add_argument("--case", metavar="CASE.json", help="直接指定审核记录文件")
    hp.add_argument("--restore", type=int, metavar="N", help="把列表中的第N份恢复为当前的审核记录")
    hp.add_argument("--store", metavar="DIR", action="append", default=[], help=store_help)
    return p


def _unknown_command(word: str) -> int:
    import difflib

    print(f"参数错误：不认识的命令“{word}”，也没有叫这个名字的文件或文件夹。", file=sys.stderr)
    match = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.5)
    if match:
        print(f"您是否要运行 {match[0]}？", file=sys.stderr)
    print(f"可用的命令：{'、'.join(COMMANDS)}；用法见 {_prog()} --help", file=sys.stderr)
    return EXIT_USAGE


def main(argv: list[str] | None = None) -> int:
    _utf8_stdio()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        return _run_window([])
    if argv[0] not in COMMANDS and not argv[0].startswith("-"):
        if not os.path.exists(argv[0]):
            return _unknown_command(argv[0])
        options = [a for a in argv if a.startswith("-") and not os.path.exists(a)]
        if options:
            print(f"参数错误：在审核窗口中打开文件时不能使用选项 {options[0]}"
                  f"（命令的用法见 {_prog()} --help）", file=sys.stderr)
            return EXIT_USAGE
        return _run_window(argv)
    args = build_parser().parse_args(argv)
    if args.command in ("extract", "export", "batch") and not _load_district(args):
        return EXIT_USAGE
    if args.command == "extract":
        return cmd_extract(args)
    if args.command == "export":
        return cmd_export(args)
    if args.command == "sample":
        return cmd_sample(args)
    if args.command == "batch":
        return cmd_batch(args)
    if args.command == "history":
        return cmd_history(args)
    build_parser().print_help()
    return EXIT_USAGE


def _report_unreadable(problems: list[dict[str, str]]) -> None:
    for p in problems:
        print(f"无法读取：{p.get('path', '')}：{p.get('message', '')}", file=sys.stderr)


def _load_district(args) -> bool:
    """``args.profile``: the district's profile — ``--district FILE``, else the workspace's the inputs are in,
    else None (every rule).  False (the Chinese reason on stderr) when the file cannot be used."""
    from core.district import find_profile, load_profile
    from core.errors import DocumentError

    args.profile = None
    given = getattr(args, "district", None)
    if given and not Path(given).is_file():
        print(f"参数错误：找不到地区设置文件 {given}", file=sys.stderr)
        return False
    inputs = [args.folder] if getattr(args, "folder", None) else list(getattr(args, "inputs", None) or [])
    path = Path(given) if given else find_profile(inputs)
    if path is None:  # none: a saved review keeps the rules it was reviewed with; batch reads its store's
        return True
    try:
        args.profile = load_profile(path)
    except DocumentError as e:
        print(f"参数错误：{e.path}：{e.reason}", file=sys.stderr)
        return False
    if not given:
        print(f"提示：采用工作区的地区设置 {path}", file=sys.stderr)
    return True


def _extract(inputs: list[str], password: str | None, preset: str | None, district=None):
    from core.pipeline import NoInput, extract_case

    try:
        case = extract_case(inputs, password=password, preset=preset, district=district)
    except NoInput as e:
        _report_unreadable(e.problems)
        print("没有可读取的文件。", file=sys.stderr)
        return None
    _report_unreadable(case.extra.get("unreadable", []))
    for d in case.documents:
        for prob in d.problems:
            print(f"提示：{Path(d.path).name}：{prob['message']}", file=sys.stderr)
    unreadable = {"scanned": "扫描件，无文字层，无法自动提取数字（请在审核窗口中对照页面手工录入）",
                  "garbled": "文字层无法识别（字体缺少编码映射），无法自动提取数字（请在审核窗口中对照页面手工录入）"}
    codes = [next((p["code"] for p in d.problems if p["code"] in unreadable), None) for d in case.documents]
    if case.documents and all(codes):
        # no text layer that can be read: no input could be read (the window still shows the pages)
        for d, code in zip(case.documents, codes):
            print(f"无法读取：{d.path}：{unreadable[code]}", file=sys.stderr)
        return None
    return case


def cmd_extract(args) -> int:
    case = _extract(args.inputs, args.password, args.preset, args.profile)
    if case is None:
        return EXIT_NO_INPUT
    from core.checks.coverage import case_json_text

    text = case_json_text(case)  # the case JSON, with "coverage": every check's status (docs/fields-extended.md)
    if args.output:
        from core.review.atomic import write_text_atomic

        try:
            write_text_atomic(Path(args.output), text)
        except OSError as e:
            print(f"无法写入输出文件 {args.output}：{_os_reason(e)}", file=sys.stderr)
            return EXIT_OUTPUT
    else:
        sys.stdout.write(text + "\n")
    return EXIT_OK


def cmd_export(args) -> int:
    from core.errors import OutputError
    from core.export import export_workbooks

    corrections, decisions, reviewer = (), (), ""
    if args.case:
        from core.review.store import load_case_for_export

        try:
            case, corrections, decisions, reviewer = load_case_for_export(Path(args.case), _recheck(args))
        except (OSError, ValueError) as e:
            print(f"无法读取审核记录 {args.case}：{e}", file=sys.stderr)
            return EXIT_NO_INPUT
    else:
        if not args.inputs:
            print("参数错误：请给出要导出的文件或文件夹，或用 --case 指定审核记录", file=sys.stderr)
            return EXIT_USAGE
        saved = None if getattr(args, "fresh", True) else _saved_review(args.inputs, getattr(args, "store", []), args)
        if saved is not None:
            case, corrections, decisions, reviewer = saved
        else:
            case = _extract(args.inputs, args.password, args.preset, args.profile)
            if case is None:
                return EXIT_NO_INPUT
    try:
        from core.export.docx import export_review_opinion
        from core.export.review_items import review_items

        items = review_items(case, list(corrections), list(decisions))
        paths = export_workbooks(case, Path(args.output), corrections=corrections, decisions=decisions,
                                 reviewer=reviewer, items=items)
        paths.append(export_review_opinion(case, Path(args.output), items=items))  # the draft 复核意见
    except OutputError as e:
        print(f"无法写入：{e.path}：{e.reason}", file=sys.stderr)
        return EXIT_OUTPUT
    except OSError as e:
        print(f"无法写入：{args.output}：{_os_reason(e)}", file=sys.stderr)
        return EXIT_OUTPUT
    for p in paths:
        print(f"已导出：{p}")
    return EXIT_OK


def _recheck(args):
    """The checks and scoring a saved review is exported with: the window's (the pipeline's), with --preset."""
    from core.district import apply_profile
    from core.pipeline import recheck

    preset = getattr(args, "preset", None)
    profile = getattr(args, "profile", None)
    if profile is None:
        return (lambda case: recheck(case, preset=preset)) if preset else recheck

    def with_district(case) -> None:  # the district's rules, as given now, over those the review was saved with
        apply_profile(case, profile)
        recheck(case, preset=preset)

    return with_district


def _saved_review(inputs: list[str], stores: list[str], args=None):
    """The review saved in the window for these files, as ``load_case_for_export`` gives it, announced on
    stderr; None (and why, on stderr) when there is none or it cannot be used."""
    from core.pipeline import collect_inputs
    from core.review.store import find_saved_review, load_case_for_export, review_stores, verify_sources

    files, _problems = collect_inputs(inputs)
    try:
        path = find_saved_review(files, review_stores(inputs, stores))
    except OSError:
        path = None
    if path is None:
        return None
    try:
        case, corrections, decisions, reviewer = load_case_for_export(path, _recheck(args))
    except ValueError as e:
        print(f"提示：审核记录 {path} 无法读取（{e}），改为按材料重新提取", file=sys.stderr)
        return None
    status = verify_sources(case)
    changed = [Path(s.path).name for s in status if s.status == "changed"]
    if changed:
        print(f"提示：{'、'.join(changed)} 在审核后有变动，保存的审核记录（{path}）未采用，按现在的材料重新提取；"
              f"要导出审核时的结果，请用 --case {path}", file=sys.stderr)
        return None
    for s in status:
        if s.status == "missing":
            print(f"提示：找不到源文件 {s.path}，按审核记录中保存的数值导出", file=sys.stderr)
    n_fix = sum(1 for c in corrections if c.get("kind") != "撤销")
    print(f"已采用保存的审核记录：{path}（审核人：{reviewer or '未填写'}；{n_fix}条修改记录，"
          f"{len(decisions)}条问题结论）。加 --fresh 可忽略审核记录、按材料重新提取。", file=sys.stderr)
    print(_completion_line(path), file=sys.stderr)
    return case, corrections, decisions, reviewer


def cmd_history(args) -> int:
    from core.errors import OutputError
    from core.pipeline import collect_inputs
    from core.review.store import CaseFileError, find_saved_review, restore_version, review_stores, \
        review_versions

    if args.case:
        path = Path(args.case)
    elif args.inputs:
        files, _problems = collect_inputs(args.inputs)
        path = find_saved_review(files, review_stores(args.inputs, args.store))
        if path is None:
            print("没有找到这些文件的审核记录（在审核窗口中打开并审核后才会有）。", file=sys.stderr)
            return EXIT_NO_INPUT
    else:
        print("参数错误：请给出材料文件或文件夹，或用 --case 指定审核记录文件", file=sys.stderr)
        return EXIT_USAGE
    versions = review_versions(path)
    if not versions:
        print(f"无法读取：{path}：审核记录文件不存在", file=sys.stderr)
        return EXIT_NO_INPUT
    if args.restore is not None:
        if not 2 <= args.restore <= len(versions) or not versions[0].current:
            print(f"参数错误：--restore 应为 2 到 {len(versions)} 之间的序号（第1份就是当前的审核记录）",
                  file=sys.stderr)
            return EXIT_USAGE
        chosen = versions[args.restore - 1]
        try:
            restore_version(path, chosen.path)
        except CaseFileError as e:
            print(f"无法读取：{chosen.path}：{e.reason}", file=sys.stderr)
            return EXIT_NO_INPUT
        except OutputError as e:
            print(f"无法写入：{e.path}：{e.reason}", file=sys.stderr)
            return EXIT_OUTPUT
        print(f"已把第{args.restore}份（最后修改于{chosen.modified or '未知'}）恢复为当前的审核记录；"
              f"原来的当前记录已保留在历史中。")
        versions = review_versions(path)
    print(f"审核记录：{path}")
    for i, v in enumerate(versions, 1):
        what = "当前" if v.current else "较早"
        if v.sources and versions[0].sources and v.sources != versions[0].sources:
            what += "（材料的较早版本）"
        if not v.readable:
            print(f"{i:>3}  {what}  （文件已损坏，无法读取）  {v.path}")
            continue
        print(f"{i:>3}  {what}  最后修改 {v.modified or '未知'}  审核人 {v.reviewer or '未填写'}  "
              f"{v.corrections}条修改记录  {v.decisions}条问题结论  {v.path}")
    if versions[0].current and versions[0].readable:
        print(_completion_line(versions[0].path))
    return EXIT_OK


def _completion_line(case_path: Path) -> str:
    """"复核状态：复核完成" or "复核状态：未复核完成：<reasons>", by the rule the window's 已完成 obeys
    (``core.checks.coverage.review_complete`` through ``core.workspace.review_completion``)."""
    from core.review.store import CaseFileError, load_case
    from core.workspace import review_completion

    try:
        case, logs = load_case(case_path)
    except CaseFileError as e:
        return f"复核状态：无法判断（{e.reason}）"
    done = review_completion(case, logs)
    return "复核状态：复核完成" if done.complete else "复核状态：未复核完成：" + done.text


def cmd_batch(args) -> int:
    import time

    from core.batch import run_batch
    from core.errors import DocumentError, OutputError
    from core.review.store import review_stores

    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        print(f"参数错误：{args.folder} 不是文件夹（batch 需要一个放着各部门材料的文件夹）", file=sys.stderr)
        return EXIT_USAGE
    if args.jobs is not None and args.jobs < 1:
        print("参数错误：--jobs 应为正整数", file=sys.stderr)
        return EXIT_USAGE
    if args.preset:
        from core.scoring.presets import list_presets

        ids = [pid for pid, _ in list_presets()]
        if args.preset not in ids:
            print(f"参数错误：未知的评分预设“{args.preset}”；可选：{'、'.join(ids)}", file=sys.stderr)
            return EXIT_USAGE
    if not folder.is_dir():
        print(f"无法读取：{args.folder}：文件夹不存在", file=sys.stderr)
        return EXIT_NO_INPUT
    started = time.perf_counter()
    try:
        result = run_batch(folder, Path(args.output), jobs=args.jobs, preset=args.preset,
                           reviewer=args.reviewer, use_reviews=not args.fresh, district=args.profile,
                           review_stores=review_stores([folder], args.store) if not args.fresh else (),
                           progress=lambda line: print(line, file=sys.stderr, flush=True))
    except OutputError as e:
        print(f"无法写入：{e.path}：{e.reason}", file=sys.stderr)
        return EXIT_OUTPUT
    except DocumentError as e:
        print(f"无法读取：{e.path}：{e.reason}", file=sys.stderr)
        return EXIT_NO_INPUT
    for o in result.outcomes:
        for p in o.workbooks:
            print(f"已导出：{p}")
    if result.summary_path:
        print(f"已导出：{result.summary_path}")
    if result.summary_error:
        print(f"无法写入汇总表：{result.summary_error}", file=sys.stderr)
    for err in result.write_errors:
        print(f"无法写入：{err}", file=sys.stderr)
    reviewed = [o for o in result.outcomes if o.source == "review"]
    if reviewed:
        print(f"{len(reviewed)}个部门按保存的审核记录导出（含审核人的修改、结论和手工录入的数值）："
              f"{'、'.join(o.unit_name or o.name for o in reviewed)}。加 --fresh 可忽略审核记录。", file=sys.stderr)
    if not result.outcomes:
        print("没有可读取的文件。", file=sys.stderr)
    else:
        print(f"完成：{result.succeeded}个部门成功，{result.failed}个部门无法审核，"
              f"用时{time.perf_counter() - started:.1f}秒", file=sys.stderr)
    return result.exit_code


def sample_dir() -> Path:
    from core.resources import resource_path

    return resource_path("samples/yunxi_2024")


def cmd_sample(args) -> int:
    if not args.headless and _has_display():
        return _run_window([str(sample_dir())])
    ns = argparse.Namespace(inputs=[str(sample_dir())], output=args.output, case=None, password=None, preset=None,
                            fresh=True, store=[], district=None, profile=None)
    print(f"没有图形界面（或指定了 --headless），改为命令行导出示例材料到 {args.output}")
    return cmd_export(ns)


def _has_display() -> bool:
    if sys.platform.startswith("win") or sys.platform == "darwin":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _os_reason(e: OSError) -> str:
    from core.errors import os_error_reason

    return os_error_reason(e, "输出文件")


def _display_problem() -> str:
    """Why the window cannot be shown here ("" when it can), checked before Qt, which would abort (exit 134)
    with an English message."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return ""  # offscreen, windows, cocoa, vnc…: Qt's choice
    if sys.platform.startswith("win") or sys.platform == "darwin":
        return ""
    display, wayland = os.environ.get("DISPLAY", ""), os.environ.get("WAYLAND_DISPLAY", "")
    if not display and not wayland:
        return "没有图形界面（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开审核窗口"
    if wayland or not display.startswith(":"):
        return ""  # a Wayland or remote display: Qt finds out
    import re
    import socket

    m = re.match(r":(\d+)", display)
    if not m:
        return ""
    for address in ("\0/tmp/.X11-unix/X" + m.group(1), "/tmp/.X11-unix/X" + m.group(1)):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.settimeout(2)
            s.connect(address)
            return ""
        except OSError:
            continue
        finally:
            s.close()
    return f"无法连接图形界面（DISPLAY={display}），无法打开审核窗口"


def _run_window(paths: list[str]) -> int:
    problem = _display_problem()
    if problem:
        print(f"{problem}。命令行用法见 {_prog()} --help；"
              f"例如导出：{_prog()} export 文件或文件夹 -o 输出文件夹", file=sys.stderr)
        return EXIT_USAGE
    try:
        from ui.app import run
    except ImportError as e:
        print(f"无法启动窗口：{e}", file=sys.stderr)
        return EXIT_USAGE
    return run(paths)


ONE_SHOT = ("extract", "export", "history")
"""Commands that leave through ``_leave_now`` when done (not the window, not batch with its process pool)."""


def _leave_now(code: int) -> None:
    """End the process at once after a one-shot command, all its output written: stdout and stderr flushed,
    logging's handlers flushed and closed — skipping only the interpreter's teardown, which frees the case's
    objects one by one (15–20 ms of an ``extract``) and runs no handler of ours (the atexit handlers there are
    pypdfium2's, which frees PDFium's memory, and logging's, done here).  Returns, for the ordinary exit, when
    another thread still runs or the output cannot be flushed (a closed pipe: the ordinary exit reports it)."""
    import threading

    if threading.active_count() > 1:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        return
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    os._exit(code)


def run() -> None:
    """The whole process of ``python main.py …``: the command, then the exit (with its code)."""
    one_shot = sys.argv[1:2] and sys.argv[1] in ONE_SHOT
    if one_shot:
        import gc

        # a collection of the young generation every 100 000 new objects, not 700: reading and checking a
        # package makes few reference cycles (304 unreachable objects after the 社会工作部 package), and the
        # ~100 collections cost 12 ms of its extract; the garbage a cycle can hold stays bounded
        gc.set_threshold(100_000)
    exit_code = main()
    if one_shot:
        _leave_now(exit_code)
    raise SystemExit(exit_code)
