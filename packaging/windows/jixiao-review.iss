; 绩效自评材料审核 — Windows installer (Inno Setup 6.3 or later).
;
; Built by build_windows.bat after PyInstaller; by hand:
;     "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\jixiao-review.iss
; Input: dist\jixiao-review\ (the one-folder bundle: jixiao-review.exe, jixiao-cli.exe, _internal\).
; Output: dist\jixiao-review-<version>-setup.exe
;
; Design:
; - installs for the current user without administrator rights (office PCs rarely grant them), into
;   %LOCALAPPDATA%\Programs\jixiao-review; an administrator may choose "all users" (Program Files) in the dialog;
; - ASCII folder and program names (a frozen Qt program under a Chinese .exe name has been seen to crash),
;   Chinese names for the Start menu entries and the wizard;
; - Windows 10 version 1809 (build 17763) or later, 64-bit: what Qt 6.9 supports;
; - an upgrade first deletes the old _internal\ so no library of the previous version stays behind;
; - uninstalling removes exactly what was installed; reviewers' data (%APPDATA%\jixiao-review: saved reviews,
;   log) and settings (registry HKCU\Software\jixiao-review) are theirs and stay.
;
; Chinese wizard: Inno Setup's own ChineseSimplified.isl if this Inno Setup has it, else a copy placed next to
; this script (from Inno Setup's source, Files\Languages\ChineseSimplified.isl — see docs/packaging.md).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\..\dist\jixiao-review"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\..\dist"
#endif
#define AppName "绩效自评材料审核"
#define AppExe "jixiao-review.exe"
#define CliExe "jixiao-cli.exe"

#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"
#else
  #error 找不到 ChineseSimplified.isl：请把它放在本脚本旁边（见 docs/packaging.md）
#endif

#if !FileExists(AddBackslash(BundleDir) + AppExe)
  #error 找不到 dist\jixiao-review\jixiao-review.exe：请先运行 pyinstaller build.spec
#endif

[Setup]
AppId={{6C0B8E0D-7F3A-4C57-9A53-2C1F0E9B7A41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=jixiao-review
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\jixiao-review
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=jixiao-review-{#AppVersion}-setup
SetupIconFile={#AddBackslash(SourcePath) + "..\icons\jixiao-review.ico"}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=no

[Languages]
Name: "chinesesimplified"; MessagesFile: "{#ChineseMessages}"

[CustomMessages]
chinesesimplified.DesktopIcon=在桌面创建快捷方式
chinesesimplified.ExtraIcons=附加快捷方式：
chinesesimplified.CliShortcut={#AppName}（命令行）
chinesesimplified.CliComment=在命令提示符中使用 jixiao-cli：extract（提取）、export（导出Excel）、sample（示例）
chinesesimplified.AppComment=审核部门整体支出绩效自评材料：提取数据、核对、导出审核表
chinesesimplified.LaunchNow=立即运行{#AppName}

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:ExtraIcons}"

[InstallDelete]
; the previous version's libraries: an upgrade must not mix two Qt or Python builds
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"
Name: "{autoprograms}\{cm:CliShortcut}"; Filename: "{cmd}"; Parameters: "/k """"{app}\{#CliExe}"" --help"""; WorkingDir: "{userdocs}"; Comment: "{cm:CliComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchNow}"; Flags: nowait postinstall skipifsilent
