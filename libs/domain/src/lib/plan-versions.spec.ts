import { firstTabled, versionInForce, versionsInForce, type PlanVersion } from './plan-versions';

const DAY = 86_400_000;
const v = (entityId: string, effectiveDay: number, recordedDay: number, seq: number, title: string): PlanVersion<{ title: string }> => ({
  entityId,
  effectiveAt: effectiveDay * DAY,
  recordedAt: recordedDay * DAY,
  seq,
  data: { title },
});

describe('versionInForce', () => {
  // Tabled on day 10 (recorded day 11), renamed with effect from day 20, recorded on day 25.
  const point = [v('p', 10, 11, 1, 'Old'), v('p', 20, 25, 2, 'New')];

  it('is absent before the entity was tabled, or before Parley knew of it', () => {
    expect(versionInForce(point, { asOf: 9 * DAY })).toBeUndefined();
    expect(versionInForce(point, { knownAt: 10 * DAY })).toBeUndefined();
  });

  it('gives the title in force at asOf: the rename only from its effective day', () => {
    expect(versionInForce(point, { asOf: 19 * DAY })?.data.title).toBe('Old');
    expect(versionInForce(point, { asOf: 20 * DAY })?.data.title).toBe('New');
    expect(versionInForce(point, {})?.data.title).toBe('New');
  });

  it('gives the title as known at knownAt: before the rename was recorded, the old one even for a later asOf', () => {
    expect(versionInForce(point, { knownAt: 24 * DAY })?.data.title).toBe('Old');
    expect(versionInForce(point, { asOf: 30 * DAY, knownAt: 24 * DAY })?.data.title).toBe('Old');
    expect(versionInForce(point, { asOf: 30 * DAY, knownAt: 25 * DAY })?.data.title).toBe('New');
  });

  it('lets a back-dated version displace an earlier one only from its effective time, and breaks ties by recording then seq', () => {
    const history = [v('p', 10, 11, 1, 'A'), v('p', 30, 31, 2, 'B'), v('p', 20, 40, 3, 'C (back-dated)')];
    expect(versionInForce(history, { asOf: 25 * DAY })?.data.title).toBe('C (back-dated)');
    expect(versionInForce(history, { asOf: 35 * DAY })?.data.title).toBe('B');
    expect(versionInForce(history, { asOf: 25 * DAY, knownAt: 39 * DAY })?.data.title).toBe('A');
    const tie = [v('p', 10, 11, 2, 'second'), v('p', 10, 11, 1, 'first')];
    expect(versionInForce(tie, {})?.data.title).toBe('second');
    const later = [v('p', 10, 12, 1, 'recorded later'), v('p', 10, 11, 2, 'recorded earlier')];
    expect(versionInForce(later, {})?.data.title).toBe('recorded later');
  });
});

describe('versionsInForce', () => {
  it('keeps per entity its version in force and leaves out those not yet tabled', () => {
    const all = [v('a', 1, 1, 1, 'a1'), v('b', 5, 5, 2, 'b1'), v('a', 3, 6, 3, 'a2')];
    const at4 = versionsInForce(all, { asOf: 4 * DAY });
    expect([...at4.keys()]).toEqual(['a']);
    expect(at4.get('a')?.data.title).toBe('a2');
    expect(versionsInForce(all, { asOf: 4 * DAY, knownAt: 5 * DAY }).get('a')?.data.title).toBe('a1');
    expect([...versionsInForce(all, {}).keys()].sort()).toEqual(['a', 'b']);
  });
});

describe('firstTabled', () => {
  it('is the earliest effective time among the versions known at knownAt', () => {
    const history = [v('p', 20, 21, 1, 'x'), v('p', 5, 30, 2, 'back-dated')];
    expect(firstTabled(history)).toBe(5 * DAY);
    expect(firstTabled(history, 25 * DAY)).toBe(20 * DAY);
    expect(firstTabled(history, 10 * DAY)).toBeUndefined();
  });
});
