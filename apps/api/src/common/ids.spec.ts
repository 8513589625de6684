import { Id } from '@parley/contracts';
import { isUuid, newId, newOrderedId } from './ids';

describe('ids', () => {
  it('newOrderedId makes version-7 UUIDs that the API accepts as ids', () => {
    for (let i = 0; i < 1_000; i++) {
      const id = newOrderedId();
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
      expect(Id.safeParse(id).success).toBe(true);
    }
    expect(isUuid(newId())).toBe(true);
  });

  it('newOrderedId carries the milliseconds first, so later ids sort after earlier ones', () => {
    const t = Date.UTC(2026, 10, 27, 12, 0, 0, 123);
    const id = newOrderedId(t);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(t);
    const ids = Array.from({ length: 500 }, (_, i) => newOrderedId(t + i));
    expect([...ids].sort()).toEqual(ids);
  });

  it('newOrderedId keeps 74 random bits: ids of the same millisecond differ', () => {
    const t = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newOrderedId(t)));
    expect(ids.size).toBe(10_000);
  });
});
