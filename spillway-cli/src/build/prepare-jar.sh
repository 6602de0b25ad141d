#!/usr/bin/env bash
# Prepares a built spillway.jar's surroundings for fast starts; the launcher (`spillway`), the
# image's root filesystem (deploy/image/build-rootfs.sh) and the Dockerfile all run it.
#  - SQLite's native library for this machine (the folder sqlite-jdbc's own OSInfo names) is placed
#    in NATIVE_DIR, where runs load it (-Dorg.sqlite.lib.path) instead of unpacking it into the
#    temp directory after a `uname -o` at every start.
#  - On JDK 25+, picocli's Java 5 class files in the jar's lib/ are rewritten as Java 8 ones with
#    stack maps (UpgradeClassFiles.java; the bytecode stays the same), which the AOT cache can
#    hold; the original is kept when the CLI does not run on the result.
# A step that fails says so and leaves things as sqlite-jdbc and picocli ship them.
# Usage: prepare-jar.sh JAR NATIVE_DIR   (JAVA_HOME: the JDK the build used)
set -uo pipefail
JAR="$1"; NATIVE="$2"
JAVA="${JAVA_HOME:?set JAVA_HOME}/bin/java"
LIB="$(dirname "$JAR")/lib"

sqlite=("$LIB"/sqlite-jdbc-*.jar)
rm -rf "$NATIVE"
if [[ -f "${sqlite[0]}" ]]; then
  if ! folder=$("$JAVA" -cp "${sqlite[0]}" org.sqlite.util.OSInfo 2>/dev/null) \
      || ! mkdir -p "$NATIVE" || ! (cd "$NATIVE" && "$JAVA_HOME/bin/jar" xf "${sqlite[0]}" "org/sqlite/native/$folder") \
      || ! find "$NATIVE/org" -type f -exec mv {} "$NATIVE" \; ; then
    echo "spillway: SQLite's native library not prepared; sqlite-jdbc unpacks it at each start" >&2
  fi
  rm -rf "$NATIVE/org"
fi

major=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null)
if (( ${major:-0} >= 25 )); then
  for jar in "$LIB"/picocli-*.jar; do
    [[ -f "$jar" ]] || continue
    cp -p "$jar" "$jar.orig"
    if ! "$JAVA" "$(dirname "${BASH_SOURCE[0]}")/UpgradeClassFiles.java" "$jar" >/dev/null 2>&1 \
        || ! "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" --help >/dev/null 2>&1; then
      mv "$jar.orig" "$jar"
      echo "spillway: picocli's class files not upgraded; its classes load without the AOT cache" >&2
    fi
    rm -f "$jar.orig"
  done
fi
exit 0
