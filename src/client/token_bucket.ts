// A token bucket (client-go's flowcontrol token bucket rate limiter): `burst` tokens to start with, refilled at
// `qps` per second. tryAccept() takes a token only if one is there (the event spam filter); wait() reserves the
// next token and resolves when it is due (a client's --kube-api-qps / --kube-api-burst), so callers queue fairly
// in call order and nothing waits while tokens remain.

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new Error(`token bucket wants qps > 0 and burst >= 1, got qps ${qps}, burst ${burst}`);
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    if (t > this.last) this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
  }

  /** Takes a token when one is available now. */
  tryAccept(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Reserves the next token: how many ms until it is due (0 when one was available). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  /** Resolves when a reserved token is due (at once, without a timer, while tokens remain). */
  wait(): Promise<void> | undefined {
    const ms = this.reserve();
    return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : undefined;
  }
}
