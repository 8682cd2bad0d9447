// Named network namespaces for pod sandboxes (`ip netns add k8ts-...`, files under /run/netns).
import { access } from 'node:fs/promises';
import { mustRun, runCommand } from './command.js';

export const NETNS_DIR = '/run/netns';

export function netnsNameFor(sandboxId: string): string {
  return `k8ts-${sandboxId.slice(0, 16)}`;
}

export function netnsPath(name: string): string {
  return `${NETNS_DIR}/${name}`;
}

/**
 * Create the named netns with its loopback up (one `ip` run each: cheaper than the CNI loopback plugin);
 * returns the path of the netns file. A failure removes the half-made netns.
 */
export async function createNetns(name: string): Promise<string> {
  if (!name.startsWith('k8ts-')) throw new Error(`netns name ${name} must start with k8ts-`);
  await mustRun('ip', ['netns', 'add', name]);
  try {
    await mustRun('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (e) {
    await deleteNetns(name).catch(() => {});
    throw e;
  }
  return netnsPath(name);
}

export async function netnsExists(name: string): Promise<boolean> {
  try {
    await access(netnsPath(name));
    return true;
  } catch {
    return false;
  }
}

/** Delete the named netns; a missing one is not an error. */
export async function deleteNetns(name: string): Promise<void> {
  if (!(await netnsExists(name))) return;
  const r = await runCommand('ip', ['netns', 'delete', name]);
  if (r.code !== 0 && (await netnsExists(name))) throw new Error(`ip netns delete ${name}: ${r.stderr.trim()}`);
}
