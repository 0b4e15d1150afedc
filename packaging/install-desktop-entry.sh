#!/usr/bin/env bash
# Put the bundle in the current user's application menu (Linux, freedesktop.org):
#   packaging/install-desktop-entry.sh [BUNDLE_DIR]      (default: dist/annotator)
# Installs the icon as "quote-entity-annotator" and resources/annotator.desktop with
# Exec pointing at the bundle. Remove with:
#   rm ~/.local/share/applications/quote-entity-annotator.desktop \
#      ~/.local/share/icons/hicolor/*/apps/quote-entity-annotator.*
set -euo pipefail
bundle_arg=${1:-"$(dirname "$0")/../dist/annotator"}
if [ ! -x "$bundle_arg/annotator" ]; then
  echo "no program at $bundle_arg/annotator: build the bundle first (python3 packaging/build.py)" >&2
  exit 1
fi
bundle=$(cd "$bundle_arg" && pwd)
res="$bundle/_internal/resources"
data=${XDG_DATA_HOME:-$HOME/.local/share}

install -D -m 644 "$res/icon.png" "$data/icons/hicolor/256x256/apps/quote-entity-annotator.png"
install -D -m 644 "$res/icon.svg" "$data/icons/hicolor/scalable/apps/quote-entity-annotator.svg"
mkdir -p "$data/applications"
# Exec: the bundle's program, quoted (the folder may contain spaces)
case "$bundle" in
  *[\\\"\`\$]*) echo "move the bundle to a folder without \\ \" \` \$ in its path" >&2; exit 1 ;;
esac
escaped=$(printf '%s' "$bundle/annotator" | sed -e 's/[&|]/\\&/g')
sed "s|^Exec=annotator\$|Exec=\"$escaped\"|" "$res/annotator.desktop" \
  >"$data/applications/quote-entity-annotator.desktop"
if command -v update-desktop-database >/dev/null; then
  update-desktop-database -q "$data/applications" || true
fi
echo "installed $data/applications/quote-entity-annotator.desktop"
