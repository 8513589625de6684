/**
 * What one socket may still send (LIVE_EVENTS_PER_MINUTE): a token bucket holding a minute's worth of
 * events, refilled continuously, so a fresh socket may send them all at once and then one every
 * 60 / perMinute seconds.
 */
export class EventBudget {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = perMinute;
    this.at = now();
  }

  /** Spends one event; false when none is left. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whole seconds until the next event is allowed. */
  retryAfterSeconds(): number {
    this.refill();
    return Math.max(1, Math.ceil(((1 - this.tokens) * 60) / this.perMinute));
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.at) * this.perMinute) / 60_000);
    this.at = now;
  }
}
