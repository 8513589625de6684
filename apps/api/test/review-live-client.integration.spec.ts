import type { ReviewEntry } from '@parley/contracts';
import type { LiveClient } from '@parley/live-client';
import type { Socket } from 'socket.io-client';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';
import { until, watch, type Viewer } from './live-harness';

/*
 * Issue 17: the dashboard's live client (libs/live-client, option `review`) joins the staff stream
 * after each public join: at first at the stream's head (`reviewJoined` first: load the list then),
 * then from the last proposal event it holds, so a reconnect replays what was missed, in order,
 * exactly once. A viewer's client asking for it is refused that stream only.
 */
describe('the live client on the staff stream', () => {
  let t: TestApp;
  let s: Seeded;
  let n: string;
  let a: { email: string; token: string };
  let b: { email: string; token: string };
  let viewer: { token: string };
  const closers: { close(): Promise<void> }[] = [];

  interface Staff extends Viewer {
    proposals: ReviewEntry[];
    joined: [number, boolean][];
  }
  function staffClient(token: string, sinceSeq: number): Staff {
    const v = watch(t, s.negotiationId, sinceSeq, token, { review: true, retryDelayMs: 50 }) as Staff;
    v.proposals = [];
    v.joined = [];
    v.client.on('proposal', (e) => v.proposals.push(e));
    v.client.on('reviewJoined', (seq, first) => v.joined.push([seq, first]));
    closers.push(v.client);
    return v;
  }
  const socketOf = (client: LiveClient) => (client as unknown as { socket: Socket }).socket;

  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '0', VIEW_ACCESS: 'private' });
    s = await seed(t);
    n = `/api/negotiations/${s.negotiationId}`;
    a = await t.user('analyst');
    b = await t.user('analyst');
    viewer = await t.user('viewer');
    await t.patch(n, { reviewPolicy: 'required' });
    // Two proposals before any client: they are in the list, not replayed to a first join.
    for (const i of [0, 1]) expect((await t.as(a.token).post(`${n}/stances`, stance(s.parties[i].id, s.points[0].id))).status).toBe(202);
  });
  afterAll(async () => {
    for (const c of closers) await c.close();
    await t.close();
  });

  it('joins at the head, then delivers each proposal event in order, and replays what it missed while disconnected', async () => {
    const head = (await t.get(n)).body.seq;
    const staff = staffClient(b.token, head);
    await until('the staff stream joined', () => staff.joined.length === 1);
    expect(staff.joined).toEqual([[2, true]]);
    expect(staff.proposals).toEqual([]);

    const p = await t.as(a.token).post(`${n}/stances`, stance(s.parties[2].id, s.points[1].id, { note: 'third' }));
    expect(p.status).toBe(202);
    await until('created arrived', () => staff.proposals.length === 1);
    expect(staff.proposals.map((e) => [e.seq, e.kind, e.proposalId])).toEqual([[3, 'proposal.created', p.body.id]]);

    // The connection drops; meanwhile the proposal is sent back and edited.
    const socket = socketOf(staff.client);
    socket.disconnect();
    await until('offline', () => staff.client.state === 'offline');
    expect((await t.as(b.token).post(`${n}/proposals/${p.body.id}/decision`, { decision: 'request_changes', note: 'source?' })).status).toBe(200);
    expect((await t.as(a.token).patch(`${n}/proposals/${p.body.id}`, { stance: stance(s.parties[2].id, s.points[1].id, { note: 'sourced' }) })).status).toBe(200);
    socket.connect();
    await until('the missed events were replayed', () => staff.proposals.length === 3);
    expect(staff.joined).toEqual([
      [2, true],
      [5, false],
    ]);
    expect(staff.proposals.map((e) => [e.seq, e.kind, e.data.status])).toEqual([
      [3, 'proposal.created', 'open'],
      [4, 'proposal.decided', 'changes_requested'],
      [5, 'proposal.updated', 'open'],
    ]);

    // An approval: the staff event and the public change, each once.
    const approved = await t.as(b.token).post(`${n}/proposals/${p.body.id}/decision`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    await until('decided arrived', () => staff.proposals.length === 4);
    await until('the published change arrived', () => staff.changes.length === 1);
    expect(staff.proposals.at(-1)).toMatchObject({ seq: 6, kind: 'proposal.decided', data: { status: 'approved' } });
    expect(staff.changes.map((c) => c.entityId)).toEqual([approved.body.published.event.id]);
    await new Promise((r) => setTimeout(r, 300));
    expect(staff.proposals.map((e) => e.seq)).toEqual([3, 4, 5, 6]);
  });

  it('a viewer’s client asking for the staff stream is refused it, and keeps the public stream', async () => {
    const head = (await t.get(n)).body.seq;
    const v = staffClient(viewer.token, head);
    await until('refused the staff stream', () => v.errors.length === 1);
    expect(v.errors[0]).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect(v.client.state).toBe('live');
    const p = await t.as(a.token).post(`${n}/stances`, stance(s.parties[0].id, s.points[1].id));
    expect(p.status).toBe(202);
    expect((await t.as(b.token).post(`${n}/proposals/${p.body.id}/decision`, { decision: 'approve' })).status).toBe(200);
    await until('the published change arrived', () => v.changes.length === 1);
    expect(v.proposals).toEqual([]);
    expect(v.joined).toEqual([]);
  });
});
