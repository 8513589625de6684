import type { ChangeItem } from '@parley/contracts';
import { QueryClient } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { stance } from '../../testing/fixtures';
import { ActivityFeed } from './ActivityFeed';
import { addLiveChange, changesKey } from './use-changes';

const item = (seq: number, partyId: string, retractReason?: string): ChangeItem => {
  const event = stance('reject', { partyId, pointId: 'p1' });
  const recordedAt = `2025-11-2${seq % 10}T10:00:00.000Z`;
  return retractReason
    ? { kind: 'stance.retracted', seq, recordedAt, event, reason: retractReason }
    : { kind: 'stance.recorded', seq, recordedAt, event };
};

const items = [item(3, 'ru'), item(5, 'ua'), item(8, 'ru', 'Wrong source')];
const parties = new Map([
  ['ru', { name: 'Russia', color: '#c00' }],
  ['ua', { name: 'Ukraine', color: '#0057b7' }],
]);
const points = new Map([['p1', { code: 'P1', title: 'Ceasefire' }]]);

function renderFeed(lastSeen: number | null) {
  return render(<ActivityFeed items={items} parties={parties} points={points} actors={new Map()} lastSeen={lastSeen} />);
}

describe('ActivityFeed', () => {
  it('shows the newest change first', () => {
    renderFeed(null);
    const entries = document.querySelectorAll('.feed__item');
    expect(Array.from(entries).map((e) => e.textContent?.match(/#(\d+)/)?.[1])).toEqual(['8', '5', '3']);
    expect(entries[0]!.textContent).toContain('Russia retracted');
    expect(entries[0]!.textContent).toContain('Reason: Wrong source');
    expect(entries[1]!.textContent).toContain('Ukraine now Reject on P1 Ceasefire');
    expect(screen.getByTestId('feed-summary').textContent).toContain('first visit');
  });

  it('counts what is new since the last visit and marks where it ends', () => {
    renderFeed(3);
    expect(screen.getByTestId('feed-summary').textContent).toBe('2 new since your last visit.');
    expect(document.querySelectorAll('.feed__item--new')).toHaveLength(2);
    const children = Array.from(document.querySelector('.feed')!.children);
    expect(children.findIndex((c) => c.classList.contains('feed__marker'))).toBe(2);
  });

  it('shows a one-step correction as one entry: the old position struck through, the new one, and the reason', () => {
    const old = { ...stance('accept', { partyId: 'ua', pointId: 'p1' }), retraction: { id: 'r', seq: 9, reason: 'Misquoted', recordedAt: '2025-11-29T10:00:00.000Z', recordedBy: 'a' } };
    const corrected: ChangeItem = { kind: 'stance.corrected', seq: 9, recordedAt: '2025-11-29T10:00:00.000Z', event: stance('reject', { partyId: 'ua', pointId: 'p1', seq: 9 }), retracted: old, reason: 'Misquoted' };
    render(<ActivityFeed items={[...items, corrected]} parties={parties} points={points} actors={new Map()} lastSeen={null} />);
    const first = document.querySelectorAll('.feed__item')[0]!;
    expect(first.classList.contains('feed__item--corrected')).toBe(true);
    expect(first.textContent).toContain('Ukraine corrected Accept to Reject on P1 Ceasefire');
    expect(first.querySelector('s')?.textContent).toBe('Accept');
    expect(first.textContent).toContain('Reason: Misquoted');
  });

  it('says when nothing is new', () => {
    renderFeed(8);
    expect(screen.getByTestId('feed-summary').textContent).toBe('Nothing new since your last visit.');
    expect(document.querySelector('.feed__marker')).toBeNull();
  });
});

describe('addLiveChange', () => {
  it('adds a live change to the cached feed once, in sequence order', () => {
    const client = new QueryClient();
    client.setQueryData(changesKey('demo'), items);
    addLiveChange(client, 'demo', item(9, 'ua'));
    addLiveChange(client, 'demo', item(9, 'ua'));
    expect(client.getQueryData<ChangeItem[]>(['changes', 'demo'])?.map((c) => c.seq)).toEqual([3, 5, 8, 9]);
  });
});
