/**
 * A simple in-memory token bucket per client address, for the public verification page: `capacity` requests at
 * once, refilled at `perMinute`. Per process (several processes each keep their own bucket: the limit is then per
 * process; a reverse proxy's limit is the durable answer). Old buckets are pruned as the map grows.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly capacity = 20,
    readonly perMinute = 20,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for `key`; false when the bucket is empty. */
  take(key: string): boolean {
    const now = this.now();
    if (this.buckets.size > 10_000) {
      for (const [k, bucket] of this.buckets) if (now - bucket.at > 600_000) this.buckets.delete(k);
    }
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return allowed;
  }
}

export const verificationLimiter = new TokenBucketLimiter(
  Number(process.env.QUORUM_VERIFY_BURST ?? 20),
  Number(process.env.QUORUM_VERIFY_PER_MINUTE ?? 20),
);
