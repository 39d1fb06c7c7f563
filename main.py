"""Entry point: argument parsing only — a command of the core, or the review window.

    python main.py                         the window (empty, or on the last case)
    python main.py FILE_OR_DIR...          the window on these files as one case
    python main.py extract FILE_OR_DIR... [-o OUT.json]
    python main.py export FILE_OR_DIR... -o OUT_DIR [--case CASE.json]
    python main.py sample                  the bundled sample package: the window where there is a display,
                                           else extract + export to ./sample_output
    python main.py batch DIR -o OUT_DIR [--jobs N] [--preset ID] [--reviewer NAME]
                                           every department of DIR (subfolders; loose PDFs grouped by unit):
                                           OUT_DIR/<单位>/ workbooks and OUT_DIR/汇总表_<区县或文件夹>.xlsx
    python main.py --version | --help

Exit codes (contract.md): 0 success (findings are not failures); 2 bad usage; 3 no input could be read;
4 output could not be written.  Bad input never prints a traceback: each unreadable file is named with its
Chinese reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_USAGE, EXIT_NO_INPUT, EXIT_OUTPUT = 0, 2, 3, 4
COMMANDS = ("extract", "export", "sample", "batch")


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
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    from core import __version__

    prog = Path(sys.argv[0]).stem if getattr(sys, "frozen", False) else "main.py"  # jixiao-cli when frozen
    p = _Parser(prog=prog, description="部门整体支出绩效自评材料审核工具")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command")
    ex = sub.add_parser("extract", help="读取一个部门的材料，提取字段、检查并评分，输出JSON")
    ex.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR")
    ex.add_argument("-o", "--output", metavar="OUT.json")
    ex.add_argument("--password", help="加密PDF的打开密码")
    ex.add_argument("--preset", help="共性指标评分预设（见 resources/presets）")
    xp = sub.add_parser("export", help="提取并导出Excel（基础数据表、自评表、共性指标、问题清单、修改记录）")
    xp.add_argument("inputs", nargs="*", metavar="FILE_OR_DIR")
    xp.add_argument("-o", "--output", required=True, metavar="OUT_DIR")
    xp.add_argument("--case", metavar="CASE.json", help="从保存的审核记录导出（含审核人的修改）")
    xp.add_argument("--password")
    xp.add_argument("--preset")
    sp = sub.add_parser("sample", help="打开内置示例材料（无显示器时导出到 ./sample_output）")
    sp.add_argument("-o", "--output", default="sample_output", metavar="OUT_DIR")
    sp.add_argument("--headless", action="store_true", help="不打开窗口，只导出")
    bp = sub.add_parser("batch", help="批量审核一个文件夹中所有部门的材料，导出各部门工作簿和汇总表",
                        description="DIR 下每个子文件夹是一个部门；直接放在 DIR 中的PDF按其中印的单位名称分组。"
                                    "各部门的工作簿写入 OUT_DIR/<单位名称>/，汇总表写入 OUT_DIR/汇总表_<区县或文件夹名>.xlsx。"
                                    "材料未变的部门沿用上次的提取结果（缓存在 OUT_DIR/.cache 或 DIR/.jixiao）。")
    bp.add_argument("folder", metavar="DIR")
    bp.add_argument("-o", "--output", required=True, metavar="OUT_DIR")
    bp.add_argument("--jobs", type=int, metavar="N", help="并行进程数（默认：CPU核数，最多4）")
    bp.add_argument("--preset", help="共性指标评分预设（见 resources/presets）")
    bp.add_argument("--reviewer", default="", help="审核人姓名（写入工作簿）")
    return p


def main(argv: list[str] | None = None) -> int:
    _utf8_stdio()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        return _run_window(argv)
    if not argv:
        return _run_window([])
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        return cmd_extract(args)
    if args.command == "export":
        return cmd_export(args)
    if args.command == "sample":
        return cmd_sample(args)
    if args.command == "batch":
        return cmd_batch(args)
    build_parser().print_help()
    return EXIT_USAGE


def _report_unreadable(problems: list[dict[str, str]]) -> None:
    for p in problems:
        print(f"无法读取：{p.get('path', '')}：{p.get('message', '')}", file=sys.stderr)


def _extract(inputs: list[str], password: str | None, preset: str | None):
    from core.pipeline import NoInput, extract_case

    try:
        case = extract_case(inputs, password=password, preset=preset)
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
    case = _extract(args.inputs, args.password, args.preset)
    if case is None:
        return EXIT_NO_INPUT
    text = case.dumps(indent=1)
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
            case, corrections, decisions, reviewer = load_case_for_export(Path(args.case))
        except (OSError, ValueError) as e:
            print(f"无法读取审核记录 {args.case}：{e}", file=sys.stderr)
            return EXIT_NO_INPUT
    else:
        if not args.inputs:
            print("参数错误：请给出要导出的文件或文件夹，或用 --case 指定审核记录", file=sys.stderr)
            return EXIT_USAGE
        case = _extract(args.inputs, args.password, args.preset)
        if case is None:
            return EXIT_NO_INPUT
    try:
        paths = export_workbooks(case, Path(args.output), corrections=corrections, decisions=decisions,
                                 reviewer=reviewer)
    except OutputError as e:
        print(f"无法写入：{e.path}：{e.reason}", file=sys.stderr)
        return EXIT_OUTPUT
    except OSError as e:
        print(f"无法写入：{args.output}：{_os_reason(e)}", file=sys.stderr)
        return EXIT_OUTPUT
    for p in paths:
        print(f"已导出：{p}")
    return EXIT_OK


def cmd_batch(args) -> int:
    import time

    from core.batch import run_batch
    from core.errors import DocumentError, OutputError

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
                           reviewer=args.reviewer,
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
    ns = argparse.Namespace(inputs=[str(sample_dir())], output=args.output, case=None, password=None, preset=None)
    print(f"没有图形界面（或指定了 --headless），改为命令行导出示例材料到 {args.output}")
    return cmd_export(ns)


def _has_display() -> bool:
    if sys.platform.startswith("win") or sys.platform == "darwin":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _os_reason(e: OSError) -> str:
    from core.errors import os_error_reason

    return os_error_reason(e, "输出文件")


def _run_window(paths: list[str]) -> int:
    try:
        from ui.app import run
    except ImportError as e:
        print(f"无法启动窗口：{e}", file=sys.stderr)
        return EXIT_USAGE
    return run(paths)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # batch's process pool in a frozen (PyInstaller) build
    raise SystemExit(main())
