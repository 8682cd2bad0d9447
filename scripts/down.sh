#!/usr/bin/env bash
# Stops the cluster that scripts/up.sh started: deletes every pod (so containers, sandboxes, IPs and mounts are
# released), stops the server by its PID, removes the kube-proxy's rules (`k8ts proxy --cleanup`) and the pod
# bridge. The data dir (store, images) is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${K8TS_DATA_DIR:-/var/lib/k8ts}
BRIDGE=${K8TS_BRIDGE:-k8ts0}
export KUBECONFIG="$DATA/kubeconfig.yaml"
pidfile="$DATA/server.pid"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  kubectl delete pods --all --all-namespaces --grace-period=1 --wait=true >/dev/null 2>&1 || true
  pid=$(cat "$pidfile")
  kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$pidfile"
  echo "k8ts stopped"
else
  echo "k8ts is not running"
fi
# the proxy keeps its nftables table across restarts (as upstream); taking the cluster down removes it
table=${K8TS_NFT_TABLE:-}
if [ -z "$table" ] && [ "$BRIDGE" != k8ts0 ]; then b=${BRIDGE#k8ts}; table="k8ts-proxy-${b#[-_.]}"; fi
table_args=()
[ -n "$table" ] && table_args=(--nft-table "$table")
node bin/k8ts proxy --cleanup "${table_args[@]}" --log-level warn || true
ip link del "$BRIDGE" 2>/dev/null || true
# the (now empty) parent cgroup of the pods, in every hierarchy
for h in /sys/fs/cgroup/*/; do rmdir "${h}k8ts" 2>/dev/null || true; done
