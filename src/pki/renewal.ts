// When a certificate is due for renewal: when what is left of its lifetime drops below a third of it, and at
// the latest 30 days before it expires (kubeadm renews a month ahead; short-lived certificates at 2/3).
export const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

export function renewalDue(notBefore: Date, notAfter: Date, now: Date): boolean {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  const left = notAfter.getTime() - now.getTime();
  return left < Math.min(lifetime / 3, RENEW_BEFORE_MS);
}
