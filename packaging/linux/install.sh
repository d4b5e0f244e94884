#!/bin/sh
# Install the unpacked Slim Maatwerk bundle machine-wide (run as root from the unpacked folder):
#
#   tar -xzf slimmaatwerk-<version>-linux-x86_64.tar.gz && sudo slimmaatwerk/install.sh
#
# Copies the bundle to /opt/slimmaatwerk, puts `slimmaatwerk` on the PATH and the menu entry, icon and
# AppStream data where desktops look.
# DESTDIR=/some/root stages the same tree elsewhere (for building a .deb/.rpm, or to inspect it).
set -eu

APP_ID=nl.slimmaatwerk.SlimMaatwerk
SRC=$(cd "$(dirname "$0")" && pwd)
DESTDIR=${DESTDIR:-}
OPT="$DESTDIR/opt/slimmaatwerk"
SHARE="$DESTDIR/usr/local/share"

rm -rf "$OPT.new"
mkdir -p "$OPT.new"
cp -a "$SRC/." "$OPT.new/"
# Swap in one step, so a running copy of the old version keeps its files until it exits.
rm -rf "$OPT.old"
if [ -e "$OPT" ]; then mv "$OPT" "$OPT.old"; fi
mv "$OPT.new" "$OPT"
rm -rf "$OPT.old"

mkdir -p "$DESTDIR/usr/local/bin"
ln -sf /opt/slimmaatwerk/slimmaatwerk "$DESTDIR/usr/local/bin/slimmaatwerk"
install -D -m 0644 "$OPT/share/applications/$APP_ID.desktop" "$SHARE/applications/$APP_ID.desktop"
install -D -m 0644 "$OPT/share/metainfo/$APP_ID.metainfo.xml" "$SHARE/metainfo/$APP_ID.metainfo.xml"
for icon in "$OPT"/share/icons/hicolor/*/apps/*; do
    install -D -m 0644 "$icon" "$SHARE/icons/hicolor/${icon#"$OPT"/share/icons/hicolor/}"
done

# The machine-wide configuration (/etc/slimmaatwerk/config.json, e.g. require_protection) is the
# administrator's to roll out: share/config.json.example shows it, and this script never touches it.

if [ -z "$DESTDIR" ]; then
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
fi
echo "Slim Maatwerk installed in /opt/slimmaatwerk; start it from the menu or with: slimmaatwerk app"
