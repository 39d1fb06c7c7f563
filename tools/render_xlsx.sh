#!/usr/bin/env bash
# Render an exported workbook the way a reviewer would print it: LibreOffice → PDF (every sheet, with its
# print setup) → one PNG per page, to look at the layout without Excel.
#
#   tools/render_xlsx.sh OUT.xlsx [OUT_DIR] [DPI]
#
# Writes OUT_DIR/<name>.pdf and OUT_DIR/<name>-<page>.png (default OUT_DIR: ./render, DPI 70).
# Needs: soffice (libreoffice-calc), pdftoppm (poppler-utils) and a CJK font (fonts-wqy-microhei), e.g.
#   apt-get install -y --no-install-recommends libreoffice-calc libreoffice-core fonts-wqy-microhei poppler-utils
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 ]]; then
    echo "用法: $0 文件.xlsx [输出目录] [DPI]" >&2
    exit 2
fi
xlsx=$1
out=${2:-render}
dpi=${3:-70}
[[ -f "$xlsx" ]] || { echo "找不到文件: $xlsx" >&2; exit 2; }
command -v soffice >/dev/null || { echo "未安装 LibreOffice (soffice)" >&2; exit 3; }
command -v pdftoppm >/dev/null || { echo "未安装 poppler-utils (pdftoppm)" >&2; exit 3; }

mkdir -p "$out"
# A private LibreOffice profile: a running LibreOffice (or a parallel render) must not block this one.
profile=$(mktemp -d "${TMPDIR:-/tmp}/lo_profile.XXXXXX")
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation="file://$profile" --headless --norestore \
    --convert-to pdf --outdir "$out" "$xlsx" >/dev/null
name=$(basename "${xlsx%.*}")
pdf="$out/$name.pdf"
[[ -f "$pdf" ]] || { echo "LibreOffice 未生成 PDF: $pdf" >&2; exit 4; }
pdftoppm -r "$dpi" -png "$pdf" "$out/$name"
ls "$out"/"$name"*.png
