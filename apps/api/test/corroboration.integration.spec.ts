import type { Corroboration, MatrixView } from '@parley/contracts';
import { MatrixService } from '../src/matrix/matrix.service';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';

/*
 * Issue 16, item 4: a cell shows how many independent outlets support its stance in force;
 * corroborated from two outlets on, two articles of one outlet counting once.
 */

describe('corroboration of a cell', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
  });
  afterAll(() => t.close());

  /** The cell's corroboration through HTTP, checked against the SQL path at the same view. */
  const corroborationAt = async (partyId: string, pointId: string, query: { asOf?: string; knownAt?: string } = {}): Promise<Corroboration> => {
    const res = await t.get<MatrixView>(`${base}/matrix?${new URLSearchParams(query).toString()}`);
    expect(res.status).toBe(200);
    const shown = res.body.rows.find((r) => r.point.id === pointId)?.cells[partyId]?.corroboration;
    const byPoint = await t.app.get(MatrixService).cellsFromTables(s.negotiationId, query.asOf ? Date.parse(query.asOf) : undefined, query.knownAt ? Date.parse(query.knownAt) : undefined);
    expect(shown).toEqual(byPoint.get(pointId)?.[partyId]?.corroboration);
    return shown as Corroboration;
  };
  const record = async (partyId: string, pointId: string, extra: Record<string, unknown>) => {
    const res = await t.post(`${base}/stances`, stance(partyId, pointId, extra));
    expect(res.status).toBe(201);
    return res.body.event as { id: string; recordedAt: string };
  };

  it('two articles of one outlet are one outlet; a second outlet corroborates', async () => {
    const [party, point] = [s.parties[0].id, s.points[0].id];
    await record(party, point, { effectiveAt: '2025-11-21', source: { outlet: 'Reuters', title: 'First article' } });
    const second = await record(party, point, { effectiveAt: '2025-11-22', source: { outlet: ' reuters ', title: 'Second article' } });
    expect(await corroborationAt(party, point)).toEqual({ outlets: 1, sources: 2, corroborated: false });
    const ap = await record(party, point, { effectiveAt: '2025-11-23', source: { outlet: 'AP', title: 'Third article' } });
    expect(await corroborationAt(party, point)).toEqual({ outlets: 2, sources: 3, corroborated: true });
    // At an earlier date, and as known before the AP report, one outlet only.
    expect(await corroborationAt(party, point, { asOf: '2025-11-22T12:00:00.000Z' })).toEqual({ outlets: 1, sources: 2, corroborated: false });
    expect(await corroborationAt(party, point, { knownAt: second.recordedAt })).toEqual({ outlets: 1, sources: 2, corroborated: false });
    expect(await corroborationAt(party, point, { knownAt: ap.recordedAt })).toEqual({ outlets: 2, sources: 3, corroborated: true });
  });

  it('a back-dated change of position breaks the run; its retraction restores it; a retracted report no longer counts', async () => {
    const [party, point] = [s.parties[1].id, s.points[0].id];
    const reuters = await record(party, point, { effectiveAt: '2025-11-21', source: { outlet: 'Reuters', title: 'Reuters on it' } });
    const ap = await record(party, point, { effectiveAt: '2025-11-23', source: { outlet: 'AP', title: 'AP on it' } });
    expect(await corroborationAt(party, point)).toEqual({ outlets: 2, sources: 2, corroborated: true });
    // Reported now, effective between the two: the party rejected it on the 22nd, so only AP supports its acceptance since.
    const backDated = await record(party, point, { position: 'reject', effectiveAt: '2025-11-22', source: { outlet: 'TASS', title: 'A rejection' } });
    expect(await corroborationAt(party, point)).toEqual({ outlets: 1, sources: 1, corroborated: false });
    expect(await corroborationAt(party, point, { knownAt: ap.recordedAt })).toEqual({ outlets: 2, sources: 2, corroborated: true });
    expect(await corroborationAt(party, point, { asOf: '2025-11-22T12:00:00.000Z' })).toEqual({ outlets: 1, sources: 1, corroborated: false });

    expect((await t.post(`/api/stance-events/${backDated.id}/retract`, { reason: 'misread' })).status).toBe(201);
    expect(await corroborationAt(party, point)).toEqual({ outlets: 2, sources: 2, corroborated: true });
    expect((await t.post(`/api/stance-events/${ap.id}/retract`, { reason: 'wrong party' })).status).toBe(201);
    expect(await corroborationAt(party, point)).toEqual({ outlets: 1, sources: 1, corroborated: false });
    expect(reuters.id).toBeDefined();
  });

  it('counts sources without an outlet as sources, not outlets; a cell without a stance has none', async () => {
    const [party, point] = [s.parties[2].id, s.points[0].id];
    await record(party, point, { effectiveAt: '2025-11-21', source: { kind: 'paraphrased_reporting', description: 'Witkoff, after meeting Putin' } });
    await record(party, point, { effectiveAt: '2025-11-22', source: { kind: 'document', title: 'The 28-point plan' } });
    await record(party, point, { effectiveAt: '2025-11-23', source: {} });
    expect(await corroborationAt(party, point)).toEqual({ outlets: 0, sources: 2, corroborated: false });
    expect(await corroborationAt(party, point, { asOf: '2025-11-01' })).toEqual({ outlets: 0, sources: 0, corroborated: false });
  });

  it('follows a corrected outlet', async () => {
    const [party, point] = [s.parties[0].id, s.points[1].id];
    await record(party, point, { effectiveAt: '2025-11-21', source: { outlet: 'Politico', title: 'Politico report' } });
    await record(party, point, { effectiveAt: '2025-11-22', source: { outlet: 'Politico', title: 'Another Politico report' } });
    expect(await corroborationAt(party, point)).toEqual({ outlets: 1, sources: 2, corroborated: false });
    const sources = (await t.get<{ id: string; title: string | null }[]>(`${base}/sources`)).body;
    const misattributed = sources.find((x) => x.title === 'Another Politico report');
    // The demo's old mistake: a Washington Post report credited to another outlet.
    expect((await t.patch(`${base}/sources/${misattributed?.id}`, { outlet: 'The Washington Post' })).status).toBe(200);
    expect(await corroborationAt(party, point)).toEqual({ outlets: 2, sources: 2, corroborated: true });
  });
});
