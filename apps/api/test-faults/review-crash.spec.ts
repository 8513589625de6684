import { record } from './figures';
import {
  POSITIONS,
  allChanges,
  call,
  changeLogSeqs,
  installation,
  projectionMismatches,
  rng,
  sleep,
  stage,
  stanceBody,
  startNode,
  type Answer,
  type Driver,
  type Installation,
  type Stage,
} from './harness';

const PROPOSALS = 600;
const REVIEWERS = 8;
const KILLS = 6;

/** One proposal and what its reviewer was last told. */
interface Review {
  id: string;
  note: string;
  final: Answer;
  retries: number;
}

/*
 * Issue 17: SIGKILL while reviewers approve proposals under load. An approval publishes the stance
 * in the decision's transaction, so after any number of kills every acknowledged approval is
 * published exactly once, and no approval is half done (an event without its approved proposal, or
 * an approved proposal without its event).
 */
describe.each<Driver>(['sqlite', 'postgres'])('SIGKILL during approvals (%s)', (driver) => {
  let inst: Installation;
  let s: Stage;
  let reviewerToken: string;

  beforeAll(async () => {
    inst = await installation(driver);
    s = await stage(await startNode(inst, `api-review-${driver}`));
    const user = await call(s.node.url, 'POST', '/api/users', { token: s.token, body: { email: 'reviewer@faults.local', name: 'Reviewer', role: 'analyst', password: 'reviewer-password' } });
    expect(user.status).toBe(201);
    reviewerToken = (await call(s.node.url, 'POST', '/api/auth/login', { body: { email: 'reviewer@faults.local', password: 'reviewer-password' } })).body.token;
    expect((await call(s.node.url, 'PATCH', `/api/negotiations/${s.negotiationId}`, { token: s.token, body: { reviewPolicy: 'required' } })).status).toBe(200);
  });

  afterAll(async () => {
    await s?.node.stop('SIGKILL');
    await inst?.drop();
  });

  it(`publishes every acknowledged approval exactly once and no half-approved one across ${KILLS} kills of ${REVIEWERS} concurrent reviewers`, async () => {
    const random = rng(driver === 'sqlite' ? 0x4e71 : 0x4e72);
    const base = `/api/negotiations/${s.negotiationId}`;
    const head0 = (await call(s.node.url, 'GET', base, { token: s.token })).body.seq as number;

    // The admin proposes; the reviewer (another analyst) decides.
    const reviews: Review[] = [];
    for (let i = 0; i < PROPOSALS; i++) {
      const note = `review:${driver}:${i}`;
      const body = stanceBody(s.parties[Math.floor(random() * s.parties.length)], s.points[Math.floor(random() * s.points.length)], note, {
        position: POSITIONS[Math.floor(random() * POSITIONS.length)],
      });
      const res = await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body });
      expect(res.status).toBe(202);
      reviews.push({ id: res.body.id, note, final: { status: 0, body: undefined }, retries: 0 });
    }

    const queue = [...reviews];
    let stop = false;
    const reviewer = async () => {
      for (let r = queue.shift(); r && !stop; r = queue.shift()) {
        // Re-based: cells move under the other reviewers' approvals. An unanswered approval is sent
        // again once the node is back: it either committed (409 ALREADY_DECIDED) or did not (200 now).
        for (;;) {
          r.final = await call(s.node.url, 'POST', `${base}/proposals/${r.id}/decision`, { token: reviewerToken, body: { decision: 'approve', rebase: true } });
          if (r.final.status !== 0 || stop) break;
          r.retries++;
          await sleep(50);
        }
      }
    };
    const running = Array.from({ length: REVIEWERS }, () => reviewer());
    let kills = 0;
    for (let k = 0; k < KILLS && queue.length > 0; k++) {
      await sleep(50 + Math.floor(random() * 200));
      const exit = await s.node.stop('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      kills++;
      await sleep(Math.floor(random() * 200));
      await s.node.start();
    }
    await Promise.all(running);
    stop = true;
    expect(kills).toBeGreaterThan(0);

    // Answers: 200, or 409 ALREADY_DECIDED for a retry of an approval that had committed unanswered.
    const odd = reviews.filter((r) => r.final.status !== 200 && !(r.final.status === 409 && r.retries > 0 && r.final.body?.code === 'ALREADY_DECIDED'));
    expect(odd.map((r) => `${r.id}: ${r.final.status} ${JSON.stringify(r.final.body)}`)).toEqual([]);

    const changes = await allChanges(s.node.url, s.negotiationId, s.token);
    const byNote = new Map<string, { id: string; approvedBy?: string; recordedBy?: string }[]>();
    for (const c of changes) {
      const e = c.event as { id: string; note?: string | null; approvedBy?: string; recordedBy?: string };
      byNote.set(e.note ?? '', [...(byNote.get(e.note ?? '') ?? []), e]);
    }
    const problems: string[] = [];
    let approved = 0;
    for (const r of reviews) {
      const proposal = (await call(s.node.url, 'GET', `${base}/proposals/${r.id}`, { token: s.token })).body;
      const events = byNote.get(r.note) ?? [];
      if (proposal.status === 'approved') {
        approved++;
        if (events.length !== 1) problems.push(`${r.id}: approved with ${events.length} events`);
        else if (events[0].id !== proposal.published?.eventId) problems.push(`${r.id}: published another event than its own`);
        else if (events[0].approvedBy !== 'reviewer@faults.local' || events[0].recordedBy !== 'admin@faults.local') problems.push(`${r.id}: names ${events[0].recordedBy}/${events[0].approvedBy}`);
      } else {
        if (events.length > 0) problems.push(`${r.id}: ${proposal.status} but published`);
        if (r.final.status === 200) problems.push(`${r.id}: acknowledged but ${proposal.status}`);
      }
      if (r.final.status === 200 && r.final.body.published.event.id !== proposal.published?.eventId) problems.push(`${r.id}: acknowledged another event`);
    }
    const known = new Set(reviews.map((r) => r.note));
    for (const note of byNote.keys()) if (!known.has(note)) problems.push(`unknown event with note ${note}`);
    expect(problems).toEqual([]);
    expect(approved).toBe(PROPOSALS);

    const probe = await inst.probe();
    try {
      const log = await changeLogSeqs(probe, s.negotiationId);
      expect(log.map((l) => l.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
      expect(log.filter((l) => l.seq > head0).map((l) => l.kind).every((k) => k === 'stance.recorded')).toBe(true);
      expect(log.length - head0).toBe(PROPOSALS);
      expect(await projectionMismatches(probe)).toEqual([]);
      // The staff stream: gap-free, one created and one decided per proposal.
      const stream = await probe.query<{ seq: number | string; kind: string }>('SELECT seq, kind FROM proposal_log WHERE negotiation_id = ? ORDER BY seq', [s.negotiationId]);
      expect(stream.map((e) => Number(e.seq))).toEqual(Array.from({ length: stream.length }, (_, i) => i + 1));
      expect(stream.filter((e) => e.kind === 'proposal.decided')).toHaveLength(PROPOSALS);
      if (driver === 'sqlite') expect(await probe.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      await probe.close();
    }
    record(`crash during approvals (${driver})`, {
      kills,
      approvalsChecked: reviews.length,
      unansweredRetried: reviews.filter((r) => r.retries > 0).length,
      lost: 0,
      halfApproved: 0,
    });
  });
});
