#!/usr/bin/env bash
# Sets up a fresh Debian machine (as root) for k8ts: system packages, npm dependencies, the build, and the
# offline busybox OCI image. Idempotent: run it as often as you like.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(runc conmon catatonit containernetworking-plugins iproute2 iptables util-linux busybox-static
      docker-registry skopeo umoci etcd-server etcd-client ca-certificates socat nftables conntrack)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts these daemons on install; k8ts runs its own instances when it needs them.
  for svc in docker-registry etcd; do
    if command -v service >/dev/null 2>&1; then service "$svc" stop >/dev/null 2>&1 || true; fi
  done
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: build"
npm run -s build

if [ -x scripts/build-busybox-image.sh ]; then
  scripts/build-busybox-image.sh >/dev/null
  # The node agent runs pods from its data dir's image store: load busybox there (fast, ~1 MB, idempotent).
  node bin/k8ts image load build/images/busybox.oci.tar --data-dir "${K8TS_DATA_DIR:-/var/lib/k8ts}" >/dev/null
fi
echo "setup: done"
