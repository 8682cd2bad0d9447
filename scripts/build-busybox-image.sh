#!/usr/bin/env bash
# Builds the OCI image busybox:1.35 (also busybox:latest) from Debian's static /bin/busybox, with no network, and
# writes it as an OCI image-layout tar. Usage: build-busybox-image.sh [OUT.tar]  (default build/images/busybox.oci.tar)
# Deterministic: same busybox binary -> byte-identical tar, so re-running is harmless.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../build/images/busybox.oci.tar}"
busybox="${BUSYBOX:-/bin/busybox}"
tag="${BUSYBOX_TAG:-1.35}"
repo="docker.io/library/busybox"

[ -x "$busybox" ] || { echo "build-busybox-image: $busybox not found (apt-get install busybox-static)" >&2; exit 1; }
# A dynamically linked busybox would not run inside an empty rootfs.
if command -v file >/dev/null 2>&1 && file -L "$busybox" | grep -q 'dynamically linked'; then
  echo "build-busybox-image: $busybox is dynamically linked; need busybox-static" >&2; exit 1
fi

case "$(uname -m)" in
  x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; armv7l) arch=arm ;; ppc64le) arch=ppc64le ;; s390x) arch=s390x ;;
  *) arch="$(uname -m)" ;;
esac

work="$(mktemp -d /tmp/k8ts-busybox-image.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
layout="$work/layout"
mkdir -p "$root" "$layout/blobs/sha256"

# --- rootfs --------------------------------------------------------------------------------------------------
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,dev,proc,sys,var,home,root,tmp}
install -m 0755 "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  case "$applet" in busybox|*/*|'') continue ;; esac
  ln -sf busybox "$root/bin/$applet"
done
chmod 0700 "$root/root"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' >"$root/etc/group"
chmod 0644 "$root/etc/passwd" "$root/etc/group"

# Fixed timestamps (the busybox binary's mtime) make the output reproducible.
epoch="$(stat -c %Y "$busybox")"
created="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"
find "$root" -exec touch -h -d "@$epoch" {} +

# --- layer -----------------------------------------------------------------------------------------------------
(cd "$root" && tar --sort=name --format=gnu --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
  -cf "$work/layer.tar" $(ls -A | LC_ALL=C sort))
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
gzip -n -9 -c "$work/layer.tar" >"$work/layer.tar.gz"

put_blob() { # file -> prints "sha256:<hex> <size>"
  local hex size
  hex="$(sha256sum "$1" | cut -d' ' -f1)"
  size="$(stat -c %s "$1")"
  cp "$1" "$layout/blobs/sha256/$hex"
  echo "sha256:$hex $size"
}

read -r layer_digest layer_size < <(put_blob "$work/layer.tar.gz")

printf '%s' "{\"architecture\":\"$arch\",\"os\":\"linux\",\"created\":\"$created\",\
\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[\"sh\"]},\
\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"$diff_id\"]},\
\"history\":[{\"created\":\"$created\",\"created_by\":\"k8ts scripts/build-busybox-image.sh from $busybox\"}]}" \
  >"$work/config.json"
read -r config_digest config_size < <(put_blob "$work/config.json")

printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\
\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"$config_digest\",\"size\":$config_size},\
\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$layer_digest\",\"size\":$layer_size}]}" \
  >"$work/manifest.json"
read -r manifest_digest manifest_size < <(put_blob "$work/manifest.json")

entry() { # full reference -> one index.json manifest descriptor
  printf '%s' "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"$manifest_digest\",\
\"size\":$manifest_size,\"platform\":{\"architecture\":\"$arch\",\"os\":\"linux\"},\
\"annotations\":{\"io.containerd.image.name\":\"$1\",\"org.opencontainers.image.ref.name\":\"$1\"}}"
}
printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\
\"manifests\":[$(entry "$repo:$tag"),$(entry "$repo:latest")]}" >"$layout/index.json"
printf '%s' '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
find "$layout" -exec touch -h -d "@$epoch" {} +

# --- output: write beside the target, then rename (readers never see a half-written tar) -------------------------
mkdir -p "$(dirname "$out")"
tmp_out="$(mktemp "$(dirname "$out")/.busybox.oci.tar.XXXXXX")"
(cd "$layout" && tar --sort=name --format=gnu --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
  -cf "$tmp_out" oci-layout index.json blobs)
chmod 0644 "$tmp_out"
mv -f "$tmp_out" "$out"
echo "built $repo:$tag ($manifest_digest) -> $out"
