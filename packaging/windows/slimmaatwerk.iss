; Inno Setup 6 script: a machine-wide installer for the PyInstaller bundle in dist\slimmaatwerk\.
;
; Build (on Windows, from the repository root, after `pyinstaller --noconfirm --clean packaging\slimmaatwerk.spec`):
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" packaging\windows\slimmaatwerk.iss
;   -> dist\SlimMaatwerk-0.1.0-setup.exe
;
; Silent install for 40 laptops (Intune, SCCM/MECM, PDQ, a GPO start-up script), as administrator:
;   SlimMaatwerk-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SP- ^
;       /CONFIG="\\fileserver\deploy\slimmaatwerk\config.json" /LOG="%WINDIR%\Temp\slimmaatwerk-setup.log"
; /CONFIG copies the organisation's machine-wide configuration to %ProgramData%\slimmaatwerk\config.json
; (where the program looks for it; see packaging\windows\config.json). Without /CONFIG an existing file is
; left as it is. Exit code 0 means installed; see the log otherwise.
; Silent uninstall: "%ProgramFiles%\Slim Maatwerk\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Uninstalling never removes users' data folders (%LOCALAPPDATA%\slimmaatwerk) or the machine configuration.

#define AppName "Slim Maatwerk"
#define AppVersion "0.1.0"
#define AppPublisher "City Deal Slim Maatwerk"
#define Bundle "..\..\dist\slimmaatwerk"

[Setup]
; The AppId identifies the product to Windows for upgrades and uninstall: never change it.
AppId={{3F6C2B7E-5A41-4D8E-9C1B-7E2A5D9F4C10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
; Machine-wide: one installation in Program Files for every user of the laptop; needs administrator rights,
; which deployment tools have. Users cannot change the program files.
PrivilegesRequired=admin
DefaultDirName={autopf}\{#AppName}
DisableDirPage=yes
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; Close a running Slim Maatwerk before an update replaces its files (Restart Manager), and do not reopen it.
CloseApplications=force
RestartApplications=no
OutputDir=..\..\dist
OutputBaseFilename=SlimMaatwerk-{#AppVersion}-setup
SetupIconFile=slimmaatwerk.ico
UninstallDisplayIcon={app}\SlimMaatwerk.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
VersionInfoVersion={#AppVersion}

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The machine-wide configuration, only when the administrator passes /CONFIG=<file>. It is replaced on
; every install that passes it (the organisation's file is the truth) and kept at uninstall.
Source: "{param:CONFIG|}"; DestDir: "{commonappdata}\slimmaatwerk"; DestName: "config.json"; Flags: external ignoreversion uninsneveruninstall; Check: ConfigGiven

[Dirs]
Name: "{commonappdata}\slimmaatwerk"; Flags: uninsneveruninstall

[Icons]
; The windowed executable: no console window; the command line is slimmaatwerk.exe in the same folder.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\SlimMaatwerk.exe"; Comment: "Zorgmonitoring voor zelfstandig wonende ouderen"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\SlimMaatwerk.exe"; Tasks: desktopicon

[Run]
; %ProgramData%\slimmaatwerk must be writable by administrators only, so that a user cannot replace the
; configuration and switch off require_protection. ProgramData lets every user create files in a new
; folder by default, so drop the inherited rights: Administrators and SYSTEM full control, Users read.
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\slimmaatwerk"" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX"; Flags: runhidden waituntilterminated
Filename: "{app}\SlimMaatwerk.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function ConfigGiven: Boolean;
begin
  Result := ExpandConstant('{param:CONFIG|}') <> '';
end;

function InitializeSetup: Boolean;
begin
  { A configuration the administrator asked for but that cannot be found fails the rollout (exit code 1)
    instead of installing without it. }
  Result := (not ConfigGiven) or FileExists(ExpandConstant('{param:CONFIG|}'));
  if not Result then
    Log('Setup stopped: the /CONFIG file does not exist: ' + ExpandConstant('{param:CONFIG|}'));
end;
