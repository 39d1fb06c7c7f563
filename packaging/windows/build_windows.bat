@echo off
rem Build the Windows installer on an offline build machine (Windows 10/11 x64).
rem
rem   packaging\windows\build_windows.bat
rem
rem Needs: Python 3.11 x64 from python.org (with the "py" launcher), Inno Setup 6.3 or later, and
rem wheelhouse\ at the root of the checkout (made by packaging\windows\gather_wheels.py on a connected machine).
rem Steps: a build venv, offline pip install of the pinned wheels, PyInstaller, a smoke test of the console
rem program on Chinese PDFs, then Inno Setup.  Output: dist\jixiao-review-<version>-setup.exe
rem Environment: ISCC (path of ISCC.exe), WHEELHOUSE (folder of wheels), PYLAUNCH (default: py -3.11).
rem This file is ASCII on purpose: cmd.exe reads .bat files in the console code page.
setlocal EnableExtensions
cd /d "%~dp0..\.."
if "%ISCC%"=="" set "ISCC=%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe"
if "%WHEELHOUSE%"=="" set "WHEELHOUSE=wheelhouse"
if "%PYLAUNCH%"=="" set "PYLAUNCH=py -3.11"
set "PY=.venv-build\Scripts\python.exe"

if not exist "%WHEELHOUSE%\" (echo No wheelhouse folder "%WHEELHOUSE%": run gather_wheels.py on a connected machine. & goto :fail)
if not exist "%ISCC%" (echo Inno Setup not found at "%ISCC%": install it or set ISCC. & goto :fail)
if not exist "%PY%" (%PYLAUNCH% -m venv .venv-build || goto :fail)

echo == 1/4 offline install of the pinned wheels
%PY% -m pip install --disable-pip-version-check --no-index --find-links "%WHEELHOUSE%" -r requirements.txt -r packaging\windows\requirements-build.txt || goto :fail

echo == 2/4 PyInstaller (build.spec), after the regular expressions compiled ahead by this Python
%PY% tools\make_pattern_table.py || goto :fail
%PY% -m PyInstaller --noconfirm --clean build.spec || goto :fail

echo == 3/4 smoke test: jixiao-cli on Chinese PDFs, at least 20 fields with Chinese labels each
if not exist build\smoke mkdir build\smoke
dist\jixiao-review\jixiao-cli.exe --version || goto :fail
dist\jixiao-review\jixiao-cli.exe extract tests\data\packages\yunxi_2024 -o build\smoke\yunxi.json || goto :fail
dist\jixiao-review\jixiao-cli.exe extract tests\packaging\data\cid_font_package -o build\smoke\cid.json || goto :fail
dist\jixiao-review\jixiao-cli.exe export tests\data\packages\yunxi_2024 -o build\smoke\xlsx || goto :fail
%PY% packaging\check_extract.py --min 20 build\smoke\yunxi.json build\smoke\cid.json || goto :fail

echo == 4/4 Inno Setup
for /f "usebackq delims=" %%v in (`%PY% -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])"`) do set "VERSION=%%v"
"%ISCC%" /Qp /DAppVersion=%VERSION% packaging\windows\jixiao-review.iss || goto :fail

echo.
echo Done: dist\jixiao-review-%VERSION%-setup.exe
exit /b 0

:fail
echo BUILD FAILED (see the messages above)
exit /b 1
