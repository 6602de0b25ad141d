#!/usr/bin/env bash
# Builds the container image's root filesystem from what this machine has, no registry needed:
# a jlink'ed Java runtime, the shared libraries it links (taken from the host's Debian packages),
# the spillway jar, a non-root user, and the ahead-of-time class cache trained inside that very
# filesystem (the JVM maps a cache only with the runtime and paths it was made with).
# Usage: build-rootfs.sh JAR OUT_DIR   (JAVA_HOME: a JDK 21+; the AOT cache needs 25+ and root)
set -euo pipefail
JAR="$1"; OUT="$2"
JDK="${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}"
APP=/opt/spillway
MODULES=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs

rm -rf "$OUT"
mkdir -p "$OUT$APP" "$OUT/etc" "$OUT/tmp" "$OUT/var/lib/spillway" "$OUT/lib64" "$OUT/lib/x86_64-linux-gnu"
chmod 1777 "$OUT/tmp"
"$JDK/bin/jlink" --add-modules "$(echo "$MODULES" | tr ',' '\n' | while read -r m; do
    [[ -n "$("$JDK/bin/java" --list-modules | grep "^$m@")" ]] && echo "$m"; done | paste -sd,)" \
  --strip-debug --no-man-pages --no-header-files --output "$OUT$APP/runtime"
cp "$JAR" "$OUT$APP/spillway.jar"
cp -r "$(dirname "$JAR")/lib" "$OUT$APP/lib"   # the jar's Class-Path: lib/*.jar

# As the launcher does (`spillway`): SQLite's native library placed where the entrypoint loads it
# (-Dorg.sqlite.lib.path) and, on JDK 25+, picocli's class files rewritten for the AOT cache.
JAVA_HOME="$JDK" "$(dirname "$0")/../../spillway-cli/src/build/prepare-jar.sh" "$OUT$APP/spillway.jar" "$OUT$APP/native"

# The loader and every library the runtime's binaries need, as real files where ld.so looks.
libs=$(find "$OUT$APP/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
  | awk '/=> \//{print $3} /^\s*\/lib/{print $1}' | sort -u)
for lib in $libs; do
  case "$lib" in
    */ld-linux*) cp -L "$lib" "$OUT/lib64/$(basename "$lib")" ;;
    *) cp -L "$lib" "$OUT/lib/x86_64-linux-gnu/$(basename "$lib")" ;;
  esac
done
# Netty's epoll native (unpacked to /tmp at run time) and SQLite's (in $APP/native) need libgcc too.
cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$OUT/lib/x86_64-linux-gnu/" 2>/dev/null || true

printf 'root:x:0:0:root:/root:/sbin/nologin\nspillway:x:65532:65532:spillway:/var/lib/spillway:/sbin/nologin\n' > "$OUT/etc/passwd"
printf 'root:x:0:\nspillway:x:65532:\n' > "$OUT/etc/group"
printf 'hosts: files dns\n' > "$OUT/etc/nsswitch.conf"

# Train the AOT cache inside the new root (JDK 25+, needs root for the mount namespace and chroot).
major=$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')
if (( major >= 25 )) && [[ $(id -u) == 0 ]]; then
  unshare --mount --fork bash -c "
    mkdir -p '$OUT/proc' '$OUT/dev' && mount -t proc proc '$OUT/proc' && mount --rbind /dev '$OUT/dev'
    touch '$OUT/etc/resolv.conf' '$OUT/etc/hosts' && mount --bind /etc/hosts '$OUT/etc/hosts'
    chroot '$OUT' $APP/runtime/bin/java -XX:AOTCacheOutput=$APP/spillway.aot -XX:+UseSerialGC \
      -Xlog:aot=off -Xlog:cds=off --enable-native-access=ALL-UNNAMED -Dorg.sqlite.lib.path=$APP/native \
      -Dorg.sqlite.lib.name=libsqlitejdbc.so -Dorg.sqlite.tmpdir=$APP/native -jar $APP/spillway.jar aot-train" >/dev/null 2>&1 \
    || echo "build-rootfs: AOT training failed; the image starts without the cache" >&2
  rmdir "$OUT/proc" "$OUT/dev"   # only mount points: the mounts lived in the private namespace
  rm -f "$OUT/etc/resolv.conf" "$OUT/etc/hosts"
  rm -rf "${OUT:?}/tmp/"* "${OUT:?}/var/lib/spillway/"*  # what the training run left behind
else
  echo "build-rootfs: no AOT cache (needs JDK 25+ and root); the image starts without it" >&2
fi
ls -la "$OUT$APP"
