// The node's StreamingBackend over the container runtime: finds the pod's running container (or its
// sandbox's network namespace) from what the kubelet knows, then execs (piped, or on a terminal),
// attaches through conmon, or dials a port inside the pod.
import { PassThrough, type Duplex } from 'node:stream';
import type { Pod } from '../../../api/core/v1/types.js';
import type { RuncRuntimeService } from '../../../runtime/index.js';
import type { RuntimePodStatus } from '../../kuberuntime/pod_status.js';
import { attachContainer } from './attach.js';
import { dialInNetns } from './pod_dial.js';
import { StreamingError, type ContainerRef, type PodRef, type ProcessSession, type SessionOptions, type StreamingBackend } from './session.js';
import { execWithTerminal } from './tty_exec.js';

export interface RuntimeBackendDeps {
  /** The runtime once the node has its pod network (undefined before). */
  runtime(): RuncRuntimeService | undefined;
  /** A pod bound to this node, by namespace/name. */
  findPod(namespace: string, name: string): Pod | undefined;
  /** The runtime's view of the pod (containers and sandboxes newest first). */
  podStatus(pod: Pod): Promise<RuntimePodStatus>;
}

export class RuntimeStreamingBackend implements StreamingBackend {
  constructor(private readonly deps: RuntimeBackendDeps) {}

  private rt(): RuncRuntimeService {
    const rt = this.deps.runtime();
    if (!rt) throw new StreamingError(503, 'the container runtime is not ready yet');
    return rt;
  }

  private pod(ref: PodRef): Pod {
    const pod = this.deps.findPod(ref.namespace, ref.pod);
    if (!pod || (ref.uid && pod.metadata.uid !== ref.uid)) throw new StreamingError(404, `pod not found ("${ref.pod}_${ref.namespace}")`);
    return pod;
  }

  /** The running container's runtime id (upstream: "container not found" otherwise). */
  async containerId(ref: ContainerRef): Promise<string> {
    const pod = this.pod(ref);
    const spec = pod.spec ?? { containers: [] };
    const name = ref.container || (spec.containers.length === 1 ? spec.containers[0]!.name : '');
    const all = [...(spec.initContainers ?? []), ...spec.containers, ...((spec.ephemeralContainers ?? []) as { name: string }[])].map((c) => c.name);
    if (!name || !all.includes(name)) {
      throw new StreamingError(
        400,
        name ? `container ${name} is not valid for pod ${ref.pod}` : `a container name must be specified for pod ${ref.pod}, choose one of: [${all.join(' ')}]`,
      );
    }
    const st = await this.deps.podStatus(pod);
    const c = st.containers.find((x) => x.name === name && x.state === 'running');
    if (!c) throw new StreamingError(404, `container not found ("${name}")`);
    return c.id;
  }

  async netnsPath(ref: PodRef): Promise<string> {
    const pod = this.pod(ref);
    const st = await this.deps.podStatus(pod);
    const sb = st.sandboxes.find((s) => s.ready);
    if (!sb) throw new StreamingError(404, `pod sandbox of "${ref.pod}_${ref.namespace}" is not ready`);
    const status = await this.rt().podSandboxStatus(sb.id);
    return status.hostNetwork ? '' : status.netnsPath;
  }

  async exec(ref: ContainerRef, command: string[], o: SessionOptions): Promise<ProcessSession> {
    const id = await this.containerId(ref);
    const rt = this.rt();
    if (o.tty) return execWithTerminal(rt, id, command, o.size);
    const s = await rt.exec(id, command);
    const p = s.process;
    p.stdin!.on('error', () => {});
    // The session opens before the client's streams exist (SPDY takes a few round trips to open them), and
    // Node resumes an exited child's unread pipes, dropping their data: hold the output from the start.
    const stdout = p.stdout!.pipe(new PassThrough());
    const stderr = p.stderr!.pipe(new PassThrough());
    return {
      stdin: p.stdin!,
      stdout,
      stderr,
      resize: () => {},
      wait: () => s.wait(),
      close: () => void s.kill(),
    };
  }

  async attach(ref: ContainerRef, o: SessionOptions): Promise<ProcessSession> {
    const id = await this.containerId(ref);
    return attachContainer(this.rt(), id, o);
  }

  async checkPod(ref: PodRef): Promise<void> {
    await this.netnsPath(ref);
  }

  async dialPod(ref: PodRef, port: number): Promise<Duplex> {
    return dialInNetns(await this.netnsPath(ref), port);
  }
}
