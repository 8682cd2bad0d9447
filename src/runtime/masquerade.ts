// One SNAT (masquerade) rule per pod network, in an nftables table of its own (`ip k8ts-masq-<bridge>`), instead
// of a chain per pod: traffic from the node's pod subnet to anything outside the cluster's pod range (and not
// multicast) leaves with the node's address; pod-to-pod traffic across nodes keeps the sender's pod IP.
// Installed when the first networked sandbox is created and removed with the last one; changes are serialised.
import { runCommand } from './command.js';

export class PodMasquerade {
  private present: boolean | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  readonly table: string;

  /** `clusterCIDR`: the cluster's pod range (default: the node's subnet alone, a single-node cluster). */
  constructor(
    private readonly podSubnet: string,
    private readonly bridgeName: string,
    private readonly clusterCIDR: string = podSubnet,
  ) {
    this.table = `k8ts-masq-${bridgeName}`;
  }

  /** The table, as one atomic `nft -f` transaction that also replaces an older copy. */
  ruleset(): string {
    return [
      `table ip ${this.table}`,
      `delete table ip ${this.table}`,
      `table ip ${this.table} {`,
      `  chain postrouting {`,
      `    type nat hook postrouting priority srcnat; policy accept;`,
      `    ip saddr ${this.podSubnet} ip daddr != ${this.clusterCIDR} ip daddr != 224.0.0.0/4 masquerade comment "k8ts pod masquerade ${this.bridgeName}"`,
      `  }`,
      `}`,
      '',
    ].join('\n');
  }

  /** The rule agents before the nftables table installed (iptables arguments after `-t nat -D POSTROUTING`). */
  legacyRuleArgs(): string[] {
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

  /** The older iptables rule masqueraded everything leaving the node's subnet (pod traffic across nodes too). */
  private async removeLegacyRule(): Promise<void> {
    for (let i = 0; i < 4; i++) {
      const r = await runCommand('iptables', ['-w', '-t', 'nat', '-D', 'POSTROUTING', ...this.legacyRuleArgs()], { timeoutMs: 30_000 }).catch(() => undefined);
      if (!r || r.code !== 0) return;
    }
  }

  /** Make sure the table is installed (once per process, then free). */
  ensure(): Promise<void> {
    if (this.present) return Promise.resolve();
    return this.serial(async () => {
      if (this.present) return;
      const r = await runCommand('nft', ['-f', '-'], { input: this.ruleset(), timeoutMs: 30_000 });
      if (r.code !== 0) throw new Error(`nft: installing the pod masquerade table ${this.table}: ${r.stderr.trim()}`);
      await this.removeLegacyRule();
      this.present = true;
    });
  }

  /** Remove the table when `unused()` (checked under the same lock as ensure) says no pod needs it. */
  releaseIf(unused: () => Promise<boolean>): Promise<void> {
    return this.serial(async () => {
      if (!(await unused())) return;
      await runCommand('nft', ['delete', 'table', 'ip', this.table], { timeoutMs: 30_000 });
      await this.removeLegacyRule();
      this.present = false;
    });
  }
}
