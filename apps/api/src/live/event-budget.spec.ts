import { EventBudget } from './event-budget';

describe('EventBudget', () => {
  it('allows a minute’s worth at once, then one per 60/perMinute seconds', () => {
    let now = 0;
    const budget = new EventBudget(60, () => now);
    for (let i = 0; i < 60; i++) expect(budget.take()).toBe(true);
    expect(budget.take()).toBe(false);
    expect(budget.retryAfterSeconds()).toBe(1);
    now += 999;
    expect(budget.take()).toBe(false);
    now += 1;
    expect(budget.take()).toBe(true);
    expect(budget.take()).toBe(false);
  });

  it('refills to a minute’s worth and no more', () => {
    let now = 0;
    const budget = new EventBudget(10, () => now);
    for (let i = 0; i < 10; i++) budget.take();
    expect(budget.retryAfterSeconds()).toBe(6);
    now += 10 * 60_000;
    let taken = 0;
    while (budget.take()) taken++;
    expect(taken).toBe(10);
  });
});
