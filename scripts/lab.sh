#!/usr/bin/env bash
# A multi-node k8ts cluster on one machine: a control-plane-only `k8ts server` on the host and N node "machines",
# each a network namespace on a lab bridge with its own `k8ts agent` (data dir, run dir, cgroup parent, pod bridge).
#   bash scripts/lab.sh up --nodes N --dir DIR [-- extra k8ts server flags]
#   bash scripts/lab.sh start-node --dir DIR NAME      (start a node's agent again after it was killed)
#   bash scripts/lab.sh down --dir DIR                 (stop all it started, remove all it made; also after a failed up)
# Writes DIR/kubeconfig.yaml (for kubectl on the host), DIR/nodes.tsv (name, netns, InternalIP, agent PID) and
# DIR/lab.env (what down needs). Every host name it makes carries a k8ts prefix.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
K8TS=(node "$ROOT/bin/k8ts")
# the lock dir test clusters use for their 10.244.N.0/24: a lab holds one N too (its pods live in 10.244.N.0/24)
LOCK_DIR=/tmp/k8ts-subnet-locks
BUSYBOX_TAR="$ROOT/build/images/busybox.oci.tar"
MAX_NODES=8

die() {
  echo "lab: $*" >&2
  exit 1
}
log() { echo "lab: $*" >&2; }

usage() {
  sed -n '3,6p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# ---- the lab's numbers: one N (10..250) per lab; everything else follows from it --------------------------
reserve_octet() {
  mkdir -p "$LOCK_DIR"
  local routed n
  routed=$(ip -4 route show | grep -o '10\.244\.[0-9]*\.' | cut -d. -f3 | sort -u || true)
  for _ in $(seq 1 500); do
    n=$((RANDOM % 241 + 10))
    if grep -qx "$n" <<<"$routed"; then continue; fi
    if ip link show "k8tslab$n" >/dev/null 2>&1; then continue; fi
    if (set -o noclobber; echo $$ >"$LOCK_DIR/$n") 2>/dev/null; then
      echo "$n"
      return 0
    fi
  done
  return 1
}

# shellcheck disable=SC2034
lab_vars() { # N: names and addresses of lab N
  N=$1
  BRIDGE="k8tslab$N"                     # the lab "switch" on the host
  LAB_NET="172.29.$N"                    # machines' network: host .1, node i .(i+1)
  HOST_IP="$LAB_NET.1"
  CLUSTER_CIDR="10.244.$N.0/24"          # pods; each node gets a slice (--node-cidr-mask-size)
  SERVICE_CIDR="10.100.$N.0/24"          # as test clusters: kubernetes .1, kube-dns .10
  NODEPORTS="$((30000 + (N - 10) * 11))-$((30000 + (N - 10) * 11 + 10))"
  CGROUP_ROOT_NAME="k8tslab$N"
}

node_vars() { # i: names of node i of the current lab
  local i=$1
  NODE_NAME="node$i"
  NODE_NS="k8tslab$N-node$i"
  NODE_IP="$LAB_NET.$((i + 1))"
  NODE_VETH="k8tsl${N}n$i"               # host end on the lab bridge; the node's end is its eth0
  NODE_BRIDGE="k8ts${N}n$i"              # pod bridge inside the node
  NODE_DIR="$DIR/nodes/$NODE_NAME"
  NODE_CGROUP="/$CGROUP_ROOT_NAME/$NODE_NAME"
}

# alive: the process exists and is not a zombie (PID 1 here reaps orphans slowly)
alive() {
  local st
  [ -n "$1" ] && [ "$1" != 0 ] && st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
  [ "${st%% *}" != Z ]
}

run_dir_of() { printf '/run/k8ts/%s' "$(printf '%s' "$1" | sha256sum | cut -c1-12)"; }

load_env() {
  [ -f "$DIR/lab.env" ] || die "no lab in $DIR (no lab.env)"
  # shellcheck disable=SC1091
  . "$DIR/lab.env"
  lab_vars "$LAB_N"
}

in_node() { nsenter --net="/run/netns/$NODE_NS" "$@"; }

# ---- up ---------------------------------------------------------------------------------------------------
make_node_machine() {
  ip netns add "$NODE_NS"
  ip link add "$NODE_VETH" type veth peer name eth0 netns "$NODE_NS"
  ip link set "$NODE_VETH" master "$BRIDGE" up
  ip -n "$NODE_NS" link set lo up
  ip -n "$NODE_NS" addr add "$NODE_IP/24" dev eth0
  ip -n "$NODE_NS" link set eth0 up
  ip -n "$NODE_NS" route add default via "$HOST_IP"
  in_node sysctl -qw net.ipv4.ip_forward=1
  # as kubeadm's preflight wants it (bridged pod traffic through the node's netfilter, for Service rules)
  in_node sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
}

agent_args() {
  # no --node-ip: as on a real machine, the agent's InternalIP is the address it reaches the API server from
  AGENT_ARGS=(agent --server "https://$HOST_IP:6443" --node-name "$NODE_NAME" --data-dir "$NODE_DIR"
    --bridge-name "$NODE_BRIDGE" --cgroup-parent "$NODE_CGROUP" --cluster-cidr "$CLUSTER_CIDR" --kubelet-port 10250
    --cluster-dns "${SERVICE_CIDR%.0/24}.10")   # pods' nameserver: this lab's kube-dns ClusterIP
  if [ -f "$NODE_DIR/join.args" ]; then
    mapfile -t extra <"$NODE_DIR/join.args"
    AGENT_ARGS+=("${extra[@]}")
  fi
}

start_agent() { # the node's agent in its netns, detached (its own session): containers outlive it under conmon
  agent_args
  setsid nsenter --net="/run/netns/$NODE_NS" "${K8TS[@]}" "${AGENT_ARGS[@]}" >>"$NODE_DIR/agent.log" 2>&1 </dev/null &
  AGENT_PID=$!
  echo "$AGENT_PID" >"$NODE_DIR/agent.pid"
}

write_nodes_tsv() {
  local tmp="$DIR/nodes.tsv.tmp" i
  : >"$tmp"
  for i in $(seq 1 "$NODES"); do
    node_vars "$i"
    printf '%s\t%s\t%s\t%s\n' "$NODE_NAME" "$NODE_NS" "$NODE_IP" "$(cat "$NODE_DIR/agent.pid" 2>/dev/null || echo 0)" >>"$tmp"
  done
  mv "$tmp" "$DIR/nodes.tsv"
}

# How nodes join: with the bootstrap token and CA pin the server prints (`join: k8ts agent --server URL --token
# ID.SECRET --discovery-token-ca-cert-hash sha256:HEX`), as kubeadm join; the agent does TLS bootstrapping.
join_credentials() {
  local line token hash
  line=$(grep -m1 '^join: ' "$DIR/server/server.log" || true)
  token=$(grep -o -- '--token [^ ]*' <<<"$line" | cut -d' ' -f2 || true)
  hash=$(grep -o -- '--discovery-token-ca-cert-hash [^ ]*' <<<"$line" | cut -d' ' -f2 || true)
  if [ -n "$token" ] && [ -n "$hash" ]; then
    printf '%s\n' --token "$token" --discovery-token-ca-cert-hash "$hash" >"$NODE_DIR/join.args"
  else
    mint_node_credentials
  fi
}

# Only for a server that prints no join command (before token joining existed): a node identity minted with the
# cluster's client CA, and the cluster CA to issue its serving certificate (files a kubeadm node never sees).
mint_node_credentials() {
  mkdir -p "$NODE_DIR/pki"
  cp "$DIR/server/pki/ca.crt" "$DIR/server/pki/ca.key" "$DIR/server/pki/client-ca.crt" "$NODE_DIR/pki/"
  node --input-type=module -e "
    const { issueClientCert } = await import('$ROOT/dist/src/pki/cluster_pki.js');
    const { loadCA } = await import('$ROOT/dist/src/pki/certs.js');
    const { readPair } = await import('$ROOT/dist/src/pki/files.js');
    const { writeKubeconfig } = await import('$ROOT/dist/src/cli/kubeconfig.js');
    const { readFileSync } = await import('node:fs');
    const ca = await loadCA(readPair('$DIR/server/pki', 'client-ca'));
    const id = await issueClientCert(ca, 'system:node:$NODE_NAME', ['system:nodes']);
    writeKubeconfig('$NODE_DIR/kubelet.kubeconfig', 'https://$HOST_IP:6443', id, readFileSync('$DIR/server/pki/ca.crt', 'utf8'));
  "
  printf '%s\n' --kubeconfig "$NODE_DIR/kubelet.kubeconfig" >"$NODE_DIR/join.args"
}

kubectl_lab() { kubectl --kubeconfig "$DIR/kubeconfig.yaml" "$@"; }

wait_nodes_ready() {
  local deadline=$((SECONDS + ${LAB_READY_TIMEOUT:-180})) ready
  while [ $SECONDS -lt $deadline ]; do
    ready=$(kubectl_lab get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null |
      grep -c '=True$' || true)
    [ "$ready" -ge "$NODES" ] && return 0
    sleep 1
  done
  kubectl_lab get nodes -o wide >&2 || true
  return 1
}

cmd_up() {
  local nodes="" extra=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --nodes) nodes=$2; shift 2 ;;
      --dir) DIR=$2; shift 2 ;;
      --) shift; extra=("$@"); break ;;
      *) usage ;;
    esac
  done
  [ -n "$nodes" ] && [ -n "${DIR:-}" ] || usage
  [[ "$nodes" =~ ^[0-9]+$ ]] && [ "$nodes" -ge 1 ] && [ "$nodes" -le $MAX_NODES ] || die "--nodes must be 1..$MAX_NODES"
  [ "$(id -u)" = 0 ] || die "needs root (network namespaces, bridges, cgroups)"
  [ -f "$ROOT/dist/src/cli/main.js" ] || die "build first (npm run build)"
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  [ ! -f "$DIR/lab.env" ] || die "$DIR already holds a lab (lab.sh down --dir $DIR first)"
  local n
  n=$(reserve_octet) || die "no free lab number in $LOCK_DIR"
  lab_vars "$n"
  NODES=$nodes
  # a node slice of the lab's /24 per node: /26 for up to 4 nodes, /27 for up to 8
  local mask=26
  [ "$NODES" -le 4 ] || mask=27
  # first thing: what down needs, so a failed up can be undone
  printf 'LAB_N=%s\nNODES=%s\nUP_PID=%s\n' "$N" "$NODES" "$$" >"$DIR/lab.env"
  trap 'log "up failed; see $DIR/server/server.log and $DIR/nodes/*/agent.log, then: bash scripts/lab.sh down --dir $DIR"' ERR

  [ -f "$BUSYBOX_TAR" ] || bash "$ROOT/scripts/build-busybox-image.sh" "$BUSYBOX_TAR" >/dev/null

  ip link add "$BRIDGE" type bridge
  ip addr add "$HOST_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up

  mkdir -p "$DIR/server"
  # cluster DNS on this lab's own host address and a free port (the kube-dns Service follows it): labs run side by side
  setsid "${K8TS[@]}" server --no-agent --data-dir "$DIR/server" --listen "$HOST_IP:6443" --advertise-address "$HOST_IP" \
    --cluster-cidr "$CLUSTER_CIDR" --node-cidr-mask-size "$mask" --service-cluster-ip-range "$SERVICE_CIDR" \
    --service-node-port-range "$NODEPORTS" --scheduler --pod-network host-gw --dns-listen "$HOST_IP:0" "${extra[@]}" >>"$DIR/server/server.log" 2>&1 </dev/null &
  local spid=$!
  echo "$spid" >"$DIR/server/server.pid"
  # the lock now names a process that lives as long as the lab
  echo "$spid" >"$LOCK_DIR/$N"
  local deadline=$((SECONDS + 60))
  until [ -f "$DIR/server/kubeconfig.yaml" ] && curl -fsS --cacert "$DIR/server/pki/ca.crt" "https://$HOST_IP:6443/readyz" >/dev/null 2>&1; do
    alive "$spid" || die "server exited; see $DIR/server/server.log"
    [ $SECONDS -lt $deadline ] || die "server not ready in 60s; see $DIR/server/server.log"
    sleep 0.2
  done
  cp "$DIR/server/kubeconfig.yaml" "$DIR/kubeconfig.yaml"
  # a server that can join nodes prints its join command right after it serves
  if "${K8TS[@]}" agent --help 2>/dev/null | grep -q -- '--discovery-token-ca-cert-hash'; then
    until grep -q '^join: ' "$DIR/server/server.log"; do
      [ $SECONDS -lt $deadline ] || die "server printed no join command in 60s; see $DIR/server/server.log"
      sleep 0.2
    done
  fi

  local i
  for i in $(seq 1 "$NODES"); do
    node_vars "$i"
    mkdir -p "$NODE_DIR"
    make_node_machine
    "${K8TS[@]}" image load "$BUSYBOX_TAR" --data-dir "$NODE_DIR" >/dev/null
    join_credentials
    start_agent
  done
  write_nodes_tsv
  wait_nodes_ready || die "nodes not Ready in time; see $DIR/nodes/*/agent.log"
  trap - ERR
  log "lab $N up: $NODES nodes; export KUBECONFIG=$DIR/kubeconfig.yaml"
}

# ---- start-node -------------------------------------------------------------------------------------------
cmd_start_node() {
  local name=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) DIR=$2; shift 2 ;;
      -*) usage ;;
      *) name=$1; shift ;;
    esac
  done
  [ -n "${DIR:-}" ] && [ -n "$name" ] || usage
  DIR=$(cd "$DIR" && pwd)
  load_env
  local i
  i=${name#node}
  [[ "$i" =~ ^[0-9]+$ ]] && [ "$i" -ge 1 ] && [ "$i" -le "$NODES" ] || die "no node $name in this lab"
  node_vars "$i"
  local old
  old=$(cat "$NODE_DIR/agent.pid" 2>/dev/null || echo 0)
  if alive "$old"; then die "$name's agent is running (pid $old)"; fi
  start_agent
  write_nodes_tsv
  log "$name agent started (pid $AGENT_PID)"
}

# ---- down -------------------------------------------------------------------------------------------------
stop_pid() { # pid [grace seconds]: SIGTERM, then SIGKILL
  local pid=$1 grace=${2:-10} k
  alive "$pid" || return 0
  kill "$pid" 2>/dev/null || true
  for k in $(seq 1 $((grace * 10))); do
    alive "$pid" || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  for k in $(seq 1 50); do alive "$pid" || return 0; sleep 0.1; done
}

# The node's runtime leftovers: containers (runc), every process in its pod cgroups (infra processes), the pod
# network namespaces its sandboxes recorded, and the mounts under its data and run dirs.
clean_node_runtime() {
  local run_dir rec ns id pid m h
  run_dir=$(run_dir_of "$NODE_DIR")
  if [ -d "$run_dir/runc" ]; then
    for id in $(runc --root "$run_dir/runc" list -q 2>/dev/null); do
      runc --root "$run_dir/runc" kill -a "$id" KILL >/dev/null 2>&1 || true
      runc --root "$run_dir/runc" delete -f "$id" >/dev/null 2>&1 || true
    done
  fi
  for h in /sys/fs/cgroup/*/; do
    [ -d "$h$CGROUP_ROOT_NAME/$NODE_NAME" ] || continue
    while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done < <(find "$h$CGROUP_ROOT_NAME/$NODE_NAME" -name cgroup.procs -exec cat {} + 2>/dev/null)
  done
  for rec in "$NODE_DIR"/sandboxes/*/sandbox.json; do
    [ -f "$rec" ] || continue
    ns=$(grep -o '"netnsName":"k8ts-[0-9a-f]*"' "$rec" | cut -d'"' -f4 || true)
    [ -n "$ns" ] && ip netns delete "$ns" 2>/dev/null || true
  done
  # deepest first
  while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(awk -v a="$NODE_DIR/" -v b="$run_dir/" 'index($5, a) == 1 || index($5, b) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
  rm -rf "$run_dir"
}

cmd_down() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) DIR=$2; shift 2 ;;
      *) usage ;;
    esac
  done
  [ -n "${DIR:-}" ] || usage
  [ -d "$DIR" ] || die "no directory $DIR"
  DIR=$(cd "$DIR" && pwd)
  load_env
  local i spid
  spid=$(cat "$DIR/server/server.pid" 2>/dev/null || echo 0)
  # first the way a cluster is emptied: pods deleted through the API, so the agents release what they hold
  if alive "$spid" && [ -f "$DIR/kubeconfig.yaml" ]; then
    timeout 20 kubectl --kubeconfig "$DIR/kubeconfig.yaml" delete pods --all --all-namespaces --grace-period=1 --wait=false >/dev/null 2>&1 || true
    local deadline=$((SECONDS + 30))
    while [ $SECONDS -lt $deadline ] && [ -n "$(timeout 10 kubectl --kubeconfig "$DIR/kubeconfig.yaml" get pods -A -o name 2>/dev/null)" ]; do sleep 0.5; done
  fi
  for i in $(seq 1 "$NODES"); do
    node_vars "$i"
    stop_pid "$(cat "$NODE_DIR/agent.pid" 2>/dev/null || echo 0)" 10
  done
  stop_pid "$spid" 15
  for i in $(seq 1 "$NODES"); do
    node_vars "$i"
    clean_node_runtime
    ip netns delete "$NODE_NS" 2>/dev/null || true
    ip link del "$NODE_VETH" 2>/dev/null || true
    rm -f "$NODE_DIR/agent.pid"
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  # routes to the pod slices left on the host (they go with the bridge; a route whose device is gone is gone)
  ip route show | awk -v c="10.244.$N." 'index($1, c) == 1 { print $1 }' | while read -r r; do ip route del "$r" 2>/dev/null || true; done
  local h
  for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
    [ -d "$h$CGROUP_ROOT_NAME" ] && find "$h$CGROUP_ROOT_NAME" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  rm -rf "$(run_dir_of "$DIR/server")"
  local owner
  owner=$(cat "$LOCK_DIR/$N" 2>/dev/null || true)
  if [ "$owner" = "$spid" ] || [ "$owner" = "${UP_PID:-}" ]; then rm -f "$LOCK_DIR/$N"; fi
  rm -f "$DIR/lab.env" "$DIR/server/server.pid"
  log "lab $N down"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  start-node) shift; cmd_start_node "$@" ;;
  down) shift; cmd_down "$@" ;;
  *) usage ;;
esac
