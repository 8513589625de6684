/**
 * What `/api/health/ready` asks besides the database: checks registered by the parts that own a
 * dependency (the live adapter registers Redis when REDIS_URL is set), and whether the process has
 * begun to stop. A plain object on the ground floor, so that the health route (low) reads what a
 * higher part (live/) registers without importing it.
 */
export class Readiness {
  private readonly checks = new Map<string, () => boolean>();
  private stopping = false;

  /** A named check: true when the dependency can serve now (cheap: read from a client's state). */
  register(name: string, check: () => boolean): void {
    this.checks.set(name, check);
  }

  /** From the first step of a graceful stop on, the node is not ready: balancers send no new work. */
  beginShutdown(): void {
    this.stopping = true;
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** Each registered check's answer now, by name. */
  results(): Record<string, boolean> {
    return Object.fromEntries([...this.checks].map(([name, check]) => [name, check()]));
  }
}
