import { Logger } from '@nestjs/common';
import type { PresenceNotice } from '@parley/contracts';
import { type LiveServer, room } from './live-server';

const PRESENCE_DEBOUNCE_MS = 250;

/**
 * Viewer counts across all nodes, debounced so a burst of joins sends one update, and sent only
 * when this node's number of viewers changed (a rejoin, or a join and a leave, change nothing).
 * The count only changes when some node's does, and that node tells every node, each of which
 * shows it to its own viewers (see show). What this misses (a node that died, a count that failed)
 * the periodic refresh corrects.
 */
export class Presence {
  private readonly logger = new Logger('Live');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per negotiation: how many of its viewers this node had when it last pushed a count. */
  private readonly viewersAtLastPush = new Map<string, number>();
  /** Per negotiation with viewers here: the count they were last shown (absent: some have been shown none yet). */
  private readonly shownViewers = new Map<string, number>();
  private refreshRunning = false;
  /** The last refresh failed (logged once per outage, not every interval). */
  private refreshFailing = false;

  /** `acrossNodes`: a Redis adapter joins this node to others, which count their own viewers. */
  constructor(
    private readonly server: LiveServer,
    private readonly acrossNodes: boolean,
  ) {
    server.on('presence', (notice) => this.show(notice));
    server.on('viewers', (negotiationIds, answer) => answer(negotiationIds.map((id) => this.viewersHere(id))));
  }

  /** A socket joined the negotiation's room: it has been shown no count yet, so the next is shown even if unchanged. */
  joined(negotiationId: string): void {
    this.shownViewers.delete(negotiationId);
    this.schedule(negotiationId);
  }

  /** A socket left the negotiation's room (or may have). */
  schedule(negotiationId: string): void {
    if (this.timers.has(negotiationId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(negotiationId);
      const here = this.viewersHere(negotiationId);
      if (this.viewersAtLastPush.get(negotiationId) === here) return;
      if (here > 0) this.viewersAtLastPush.set(negotiationId, here);
      else this.viewersAtLastPush.delete(negotiationId);
      this.countViewers([negotiationId]).then(
        ([viewers]) => {
          const notice: PresenceNotice = { negotiationId, viewers };
          this.show(notice);
          if (this.acrossNodes) this.server.serverSideEmit('presence', notice);
        },
        (err: unknown) => this.logger.warn(`presence count failed: ${String(err)}`),
      );
    }, PRESENCE_DEBOUNCE_MS);
    timer.unref();
    this.timers.set(negotiationId, timer);
  }

  /** Shows a count to this node's viewers of the negotiation, unless it is the one they were last shown. */
  private show(notice: PresenceNotice): void {
    const { negotiationId, viewers } = notice;
    if (this.viewersHere(negotiationId) === 0) {
      this.shownViewers.delete(negotiationId);
      return;
    }
    if (this.shownViewers.get(negotiationId) === viewers) return;
    this.shownViewers.set(negotiationId, viewers);
    this.server.local.to(room(negotiationId)).emit('presence', notice);
  }

  /** Counts again the viewers of the negotiations watched here and shows the counts that changed. */
  async refresh(negotiationIds: string[]): Promise<void> {
    // A count waits up to the adapter's request timeout (Redis down): one round at a time.
    if (negotiationIds.length === 0 || this.refreshRunning) return;
    this.refreshRunning = true;
    try {
      const counts = await this.countViewers(negotiationIds);
      negotiationIds.forEach((negotiationId, i) => this.show({ negotiationId, viewers: counts[i] }));
      this.refreshFailing = false;
    } catch (err) {
      if (!this.refreshFailing) this.logger.warn(`viewer counts cannot be refreshed for now (${String(err)}); retried every head interval`);
      this.refreshFailing = true;
    } finally {
      this.refreshRunning = false;
    }
  }

  /**
   * The viewers of each negotiation across all nodes: this node's own, plus what every other node
   * answers (only numbers travel, not the sockets as fetchSockets would send them). Fails when a node
   * does not answer in time or Redis is down; the next refresh asks again.
   */
  private async countViewers(negotiationIds: string[]): Promise<number[]> {
    const counts = negotiationIds.map((id) => this.viewersHere(id));
    if (!this.acrossNodes) return counts;
    const answers = await this.server.serverSideEmitWithAck('viewers', negotiationIds);
    for (const answer of answers) {
      if (!Array.isArray(answer) || answer.length !== counts.length) throw new Error(`a node answered the viewer count with ${JSON.stringify(answer)}`);
      answer.forEach((n, i) => (counts[i] += n));
    }
    return counts;
  }

  private viewersHere(negotiationId: string): number {
    return this.server.of('/').adapter.rooms.get(room(negotiationId))?.size ?? 0;
  }

  /** The negotiations this node's sockets watch. */
  watchedHere(): string[] {
    return [...this.server.of('/').adapter.rooms.keys()].filter((r) => r.startsWith('n:')).map((r) => r.slice(2));
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
  }
}
