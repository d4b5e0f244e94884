#!/usr/bin/env bash
# Build the desktop bundle with PyInstaller (onedir) and pack it: a tarball on Linux, a zip of the .app on
# macOS. On Windows run PyInstaller and Inno Setup instead (packaging/README.md, "Windows").
#
#   packaging/build.sh                      -> dist/slimmaatwerk/slimmaatwerk, dist/slimmaatwerk-<v>-linux-<arch>.tar.gz
#   PYTHON=.venv/bin/python DIST=/tmp/d WORK=/tmp/w packaging/build.sh
#
# The last line printed is JSON with the build time and the sizes, for packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
DIST=${DIST:-dist}
WORK=${WORK:-build/pyinstaller}
APP_ID=nl.slimmaatwerk.SlimMaatwerk

if ! "$PYTHON" -c 'import PyInstaller' 2>/dev/null; then
    echo "build.sh: PyInstaller is not installed for $PYTHON (pip install 'pyinstaller>=6.10')" >&2
    exit 1
fi
VERSION=$("$PYTHON" -c 'from importlib.metadata import version; print(version("slimmaatwerk"))')
ARCH=$(uname -m)

start=$(date +%s.%N)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" packaging/slimmaatwerk.spec
built=$(date +%s.%N)

case "$(uname -s)" in
Linux)
    bundle="$DIST/slimmaatwerk"
    # Desktop integration travels inside the bundle; install.sh puts it where desktops look.
    install -D -m 0644 "packaging/linux/$APP_ID.desktop" "$bundle/share/applications/$APP_ID.desktop"
    install -D -m 0644 "packaging/linux/$APP_ID.metainfo.xml" "$bundle/share/metainfo/$APP_ID.metainfo.xml"
    for png in packaging/linux/icons/hicolor/*/apps/"$APP_ID.png"; do
        size=$(basename "$(dirname "$(dirname "$png")")")
        install -D -m 0644 "$png" "$bundle/share/icons/hicolor/$size/apps/$APP_ID.png"
    done
    install -D -m 0644 packaging/linux/icons/slimmaatwerk.svg "$bundle/share/icons/hicolor/scalable/apps/$APP_ID.svg"
    install -D -m 0644 packaging/windows/config.json "$bundle/share/config.json.example"
    install -m 0755 packaging/linux/install.sh "$bundle/install.sh"
    archive="$DIST/slimmaatwerk-$VERSION-linux-$ARCH.tar.gz"
    tar -C "$DIST" -czf "$archive" slimmaatwerk
    ;;
Darwin)
    bundle="$DIST/Slim Maatwerk.app"
    archive="$DIST/SlimMaatwerk-$VERSION-macos-$ARCH.zip"
    ditto -c -k --keepParent "$bundle" "$archive"
    ;;
*)
    echo "build.sh: no packing step for $(uname -s); see packaging/README.md" >&2
    exit 1
    ;;
esac
done_at=$(date +%s.%N)

echo "built $bundle and $archive" >&2
bundle_kb=$(du -sk "$bundle" | cut -f1)
archive_kb=$(du -k "$archive" | cut -f1)
"$PYTHON" -c 'import json, sys
v, start, built, done, bundle_kb, archive_kb, archive = sys.argv[1:]
print(json.dumps({"version": v, "pyinstaller_s": round(float(built) - float(start), 1),
                  "total_s": round(float(done) - float(start), 1), "bundle_mb": round(int(bundle_kb) / 1024, 1),
                  "archive_mb": round(int(archive_kb) / 1024, 1), "archive": archive}))' \
    "$VERSION" "$start" "$built" "$done_at" "$bundle_kb" "$archive_kb" "$archive"
