// One SNAT (masquerade) rule per pod network instead of one iptables chain per pod: traffic from the pod
// subnet to anything but the subnet (and multicast) leaves with the node's address. Installed when the
// first networked sandbox is created and removed with the last one; all changes are serialised.
import { runCommand } from './command.js';

export class PodMasquerade {
  private present: boolean | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly podSubnet: string,
    private readonly bridgeName: string,
  ) {}

  /** The rule, as iptables arguments after `-t nat -X POSTROUTING`. */
  ruleArgs(): string[] {
    return [
      '-s',
      this.podSubnet,
      '!',
      '-d',
      this.podSubnet,
      '-m',
      'addrtype',
      '!',
      '--dst-type',
      'MULTICAST',
      '-m',
      'comment',
      '--comment',
      `k8ts pod masquerade ${this.bridgeName}`,
      '-j',
      'MASQUERADE',
    ];
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.catch(() => {}).then(fn);
    this.chain = next;
    return next;
  }

  private iptables(op: '-C' | '-A' | '-D'): Promise<{ code: number; stderr: string }> {
    return runCommand('iptables', ['-w', '-t', 'nat', op, 'POSTROUTING', ...this.ruleArgs()], { timeoutMs: 30_000 });
  }

  /** Make sure the rule is installed (one iptables check per process, then free). */
  ensure(): Promise<void> {
    if (this.present) return Promise.resolve();
    return this.serial(async () => {
      if (this.present) return;
      if ((await this.iptables('-C')).code !== 0) {
        const r = await this.iptables('-A');
        if (r.code !== 0) throw new Error(`iptables: adding the pod masquerade rule: ${r.stderr.trim()}`);
      }
      this.present = true;
    });
  }

  /** Remove the rule when `unused()` (checked under the same lock as ensure) says no pod needs it. */
  releaseIf(unused: () => Promise<boolean>): Promise<void> {
    return this.serial(async () => {
      if (!(await unused())) return;
      // delete every copy (a crashed agent may have left one behind before a re-add)
      for (let i = 0; i < 4 && (await this.iptables('-D')).code === 0; i++);
      this.present = false;
    });
  }
}
