#!/usr/bin/env bash
# Sets up this machine and starts a single-node k8ts cluster on the embedded SQLite store in the background,
# then creates a demo pod and shows it. Stop it with: kill "$(cat /var/lib/k8ts/server.pid)"
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DATA=${K8TS_DATA_DIR:-/var/lib/k8ts}
LISTEN=${K8TS_LISTEN:-127.0.0.1:6443}
mkdir -p "$DATA"
if [ -f "$DATA/server.pid" ] && kill -0 "$(cat "$DATA/server.pid")" 2>/dev/null; then
  echo "k8ts already running (pid $(cat "$DATA/server.pid"))"
else
  nohup bin/k8ts server --data-dir "$DATA" --listen "$LISTEN" >"$DATA/server.log" 2>&1 &
  echo $! >"$DATA/server.pid"
fi
export KUBECONFIG="$DATA/kubeconfig.yaml"
for _ in $(seq 1 100); do
  # HTTPS with the cluster CA that the first start writes (an anonymous request may read /readyz)
  [ -f "$DATA/pki/ca.crt" ] && curl -fsS --cacert "$DATA/pki/ca.crt" "https://$LISTEN/readyz" >/dev/null 2>&1 && [ -f "$KUBECONFIG" ] && break
  sleep 0.1
done
kubectl get namespaces
kubectl apply -f examples/hello-pod.yaml
kubectl wait --for=condition=Ready pod/hello --timeout=60s || true
kubectl get pods -o wide
echo
echo "export KUBECONFIG=$KUBECONFIG   # then use kubectl as usual"
