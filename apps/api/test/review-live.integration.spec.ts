import { LIVE_PATH, type JoinAck, type ReviewEntry } from '@parley/contracts';
import { io } from 'socket.io-client';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';
import { until, watch, type RawSocket } from './live-harness';

/*
 * Issue 17, step 5: staff sockets receive proposal events (created, updated, decided) in their own
 * ordered stream, replayed after a reconnect; viewer and share-link sockets never do, and see only
 * the published change.
 */
describe('the staff stream of proposal events', () => {
  let t: TestApp;
  let s: Seeded;
  let n: string;
  let a: { email: string; token: string };
  let b: { email: string; token: string };
  let viewer: { token: string };
  let share: string;
  const sockets: RawSocket[] = [];
  const closers: { close(): Promise<void> }[] = [];

  /** A raw socket that records every proposal event it receives. */
  function staffSocket(token: string): { socket: RawSocket; got: ReviewEntry[] } {
    const socket: RawSocket = io(t.url, { path: LIVE_PATH, transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
    sockets.push(socket);
    const got: ReviewEntry[] = [];
    socket.on('proposals', (entries) => got.push(...entries));
    return { socket, got };
  }
  const joinReview = (socket: RawSocket, sinceSeq: number) =>
    new Promise<JoinAck>((resolve) => socket.emit('joinReview', { negotiationId: s.negotiationId, sinceSeq }, resolve));

  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '0', VIEW_ACCESS: 'private' });
    s = await seed(t);
    n = `/api/negotiations/${s.negotiationId}`;
    a = await t.user('analyst');
    b = await t.user('analyst');
    viewer = await t.user('viewer');
    share = (await t.post(`${n}/share-links`, { label: 'wall' })).body.token;
    await t.patch(n, { reviewPolicy: 'required' });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const c of closers) await c.close();
    await t.close();
  });

  it('refuses the staff stream to viewers and share links, and sends them only the published change', async () => {
    for (const token of [viewer.token, share]) {
      const { socket, got } = staffSocket(token);
      const ack = await joinReview(socket, 0);
      expect(ack).toMatchObject({ ok: false, error: { statusCode: 403, code: 'FORBIDDEN' } });
      expect(got).toEqual([]);
    }
    const anonymous = io(t.url, { path: LIVE_PATH, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(anonymous);
    await until('the anonymous socket is refused', () => anonymous.disconnected);

    const head = (await t.get(n)).body.seq;
    const watchers = [watch(t, s.negotiationId, head, viewer.token), watch(t, s.negotiationId, head, share)];
    closers.push(...watchers.map((w) => w.client));
    const staff = staffSocket(b.token);
    const joined = await joinReview(staff.socket, 0);
    expect(joined).toMatchObject({ ok: true, negotiationId: s.negotiationId, seq: 0, replayed: 0 });
    await until('the watchers are live', () => watchers.every((w) => w.client.state === 'live'));
    // Sockets of the public stream are in no staff room, even when they are staff: a viewer's socket that asks is refused above.
    const rawViewer = staffSocket(viewer.token);
    await new Promise<void>((resolve) => rawViewer.socket.emit('join', { negotiationId: s.negotiationId, sinceSeq: head }, () => resolve()));

    const p = await t.as(a.token).post(`${n}/stances`, stance(s.parties[0].id, s.points[0].id, { note: 'secret until approved' }));
    expect(p.status).toBe(202);
    await until('created reached the staff socket', () => staff.got.length === 1);
    const approved = await t.as(b.token).post(`${n}/proposals/${p.body.id}/decision`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    await until('the published change reached both watchers', () => watchers.every((w) => w.changes.length === 1));
    for (const w of watchers) {
      expect(w.changes.map((c) => [c.seq, c.kind, c.entityId])).toEqual([[head + 1, 'stance.recorded', approved.body.published.event.id]]);
      expect((w.changes[0].data as { event: { approvedBy?: string } }).event.approvedBy).toBe(b.email);
    }
    await until('decided reached the staff socket', () => staff.got.length === 2);
    expect(staff.got.map((e) => [e.seq, e.kind, e.proposalId, e.data.status])).toEqual([
      [1, 'proposal.created', p.body.id, 'open'],
      [2, 'proposal.decided', p.body.id, 'approved'],
    ]);
    expect(rawViewer.got).toEqual([]);
  });

  it('sends created, updated and decided in order, and replays what a reconnecting staff socket missed', async () => {
    const first = staffSocket(a.token);
    const ack = await joinReview(first.socket, 0);
    expect(ack).toMatchObject({ ok: true, seq: 2, replayed: 2 });
    await until('the replay arrived', () => first.got.length === 2);
    const p = await t.post(`${n}/stances`, stance(s.parties[1].id, s.points[1].id));
    await t.as(a.token).post(`${n}/proposals/${p.body.id}/decision`, { decision: 'request_changes', note: 'source?' });
    await until('two more', () => first.got.length === 4);
    first.socket.close();

    // Missed while disconnected: the edit and the decision.
    await t.request('PATCH', `${n}/proposals/${p.body.id}`, { stance: stance(s.parties[1].id, s.points[1].id, { note: 'sourced' }) });
    await t.as(b.token).post(`${n}/proposals/${p.body.id}/decision`, { decision: 'reject', note: 'still no' });

    const again = staffSocket(a.token);
    const rejoined = await joinReview(again.socket, first.got.at(-1)?.seq ?? 0);
    expect(rejoined).toMatchObject({ ok: true, seq: 6, replayed: 2 });
    await until('the missed events arrived', () => again.got.length === 2);
    const all = [...first.got, ...again.got];
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all.slice(2).map((e) => [e.kind, e.data.status, e.recordedBy])).toEqual([
      ['proposal.created', 'open', 'admin@test.local'],
      ['proposal.decided', 'changes_requested', a.email],
      ['proposal.updated', 'open', 'admin@test.local'],
      ['proposal.decided', 'rejected', b.email],
    ]);
    // The public stream moved only with the one approval.
    expect((await t.get(n)).body.seq).toBe((await t.get(`${n}/changes`)).body.items.at(-1).seq);
  });

  it('takes a demoted user’s socket out of the staff stream at once; their public stream goes on', async () => {
    const demoted = await t.user('analyst');
    const control = staffSocket(b.token);
    const theirs = staffSocket(demoted.token);
    const head = (await t.get(n)).body.seq;
    for (const x of [control, theirs]) expect(await joinReview(x.socket, 1_000_000)).toMatchObject({ ok: true });
    const changes: number[] = [];
    theirs.socket.on('change', (entry) => changes.push(entry.seq));
    expect(await new Promise<JoinAck>((resolve) => theirs.socket.emit('join', { negotiationId: s.negotiationId, sinceSeq: head }, resolve))).toMatchObject({ ok: true });

    const propose = async (i: number) => {
      const before = control.got.length;
      const p = await t.as(a.token).post(`${n}/stances`, stance(s.parties[i % 3].id, s.points[2].id, { note: `demotion ${i}` }));
      expect(p.status).toBe(202);
      await until('the control socket got it', () => control.got.length === before + 1);
      return p.body.id as string;
    };
    await propose(0);
    await until('the analyst got it too', () => theirs.got.length === 1);

    expect((await t.patch(`/api/users/${demoted.id}`, { role: 'viewer' })).status).toBe(200);
    // The re-check runs after the commit: within a few proposals at most, they stop arriving.
    let i = 1;
    for (let seen = theirs.got.length; i < 20; i++) {
      await propose(i);
      await new Promise((r) => setTimeout(r, 50));
      if (theirs.got.length === seen) break;
      seen = theirs.got.length;
    }
    expect(i).toBeLessThan(20);
    const gotBefore = theirs.got.length;
    const last = await propose(i + 1);
    const approved = await t.as(b.token).post(`${n}/proposals/${last}/decision`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    // The published change reaches the (now viewer) socket; no proposal event does.
    await until('the public change arrived', () => changes.includes(approved.body.proposal.published.seq));
    await until('the control socket got the decision', () => control.got.some((e) => e.proposalId === last && e.kind === 'proposal.decided'));
    expect(theirs.got.length).toBe(gotBefore);
    expect(theirs.socket.connected).toBe(true);
    // Asking again is refused.
    expect(await joinReview(theirs.socket, 0)).toMatchObject({ ok: false, error: { statusCode: 403 } });
  });

  it('answers a malformed staff join with a 400', async () => {
    const { socket } = staffSocket(a.token);
    const ack = await new Promise<JoinAck>((resolve) => socket.emit('joinReview', { negotiationId: s.negotiationId, sinceSeq: -1 } as never, resolve));
    expect(ack).toMatchObject({ ok: false, error: { statusCode: 400, code: 'VALIDATION_FAILED' } });
  });
});
