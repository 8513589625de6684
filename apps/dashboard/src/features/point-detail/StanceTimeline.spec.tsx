import { render, screen, within } from '@testing-library/react';
import { stance } from '../../testing/fixtures';
import { StanceTimeline } from './StanceTimeline';

const parties = [
  { id: 'ru', name: 'Russia', color: '#cc0000' },
  { id: 'ua', name: 'Ukraine', color: '#0057b7' },
  { id: 'eu', name: 'Europe', color: '#003399' },
];

const retracted = stance('red_line', {
  partyId: 'ru',
  effectiveAt: '2025-11-21T00:00:00.000Z',
  retraction: { id: 'r1', seq: 9, reason: 'Misattributed quote', recordedAt: '2025-11-22T10:00:00.000Z', recordedBy: 'ana' },
});
const standing = stance('reject', {
  partyId: 'ru',
  effectiveAt: '2025-11-24T14:30:00.000Z',
  effectivePrecision: 'time',
  actorId: 'actor-peskov',
  quote: 'Неприемлемо',
  quoteLanguage: 'ru',
  translation: 'Unacceptable',
  translationLanguage: 'en',
  source: { id: 'source-tass', kind: 'official_statement', url: 'https://example.org/a', outlet: 'TASS', title: 'Kremlin statement', publishedAt: '2025-11-24T00:00:00.000Z', language: 'ru', description: null },
});
const ukraine = stance('accept', { partyId: 'ua', effectiveAt: '2025-11-20T00:00:00.000Z' });

function renderTimeline(asOf: string | null = null) {
  return render(
    <StanceTimeline
      events={[standing, retracted, ukraine]}
      parties={parties}
      actors={new Map([['actor-peskov', 'Dmitry Peskov (spokesman)']])}
      asOf={asOf}
    />,
  );
}

describe('StanceTimeline', () => {
  it('strikes through a retracted event and shows its reason', () => {
    renderTimeline();
    const russia = screen.getByRole('region', { name: 'Russia' });
    const items = within(russia).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    // Oldest first: the retracted red line, then the rejection.
    const [first, second] = items;
    expect(first!.querySelector('s')?.textContent).toContain('Red line');
    expect(first!.textContent).toContain('Retracted on 2025-11-22: Misattributed quote');
    expect(second!.querySelector('s')).toBeNull();
    expect(second!.textContent).not.toContain('Retracted');
  });

  it('shows date precision, actor, quote and a source link', () => {
    renderTimeline();
    const russia = screen.getByRole('region', { name: 'Russia' });
    const second = within(russia).getAllByRole('listitem')[1]!;
    expect(second.textContent).toContain('2025-11-24 14:30 UTC');
    expect(second.textContent).toContain('Dmitry Peskov (spokesman)');
    // The quote as said, in its language, beside its translation.
    expect(second.querySelector('.event__quote [lang="ru"]')?.textContent).toBe('“Неприемлемо” (ru)');
    expect(second.querySelector('.event__translation[lang="en"]')?.textContent).toBe('Translation (en): “Unacceptable”');
    expect(within(second).getByRole('link', { name: 'TASS — Kremlin statement' }).getAttribute('href')).toBe('https://example.org/a');
    // The source record's fields: its kind, publication day and language.
    expect(second.querySelector('.event__source')?.textContent).toBe('Source: Official statement · TASS — Kremlin statement · published 2025-11-24 · in ru');
    expect(second.querySelector('.event__source [lang="ru"]')).not.toBeNull();
    const ua = within(screen.getByRole('region', { name: 'Ukraine' })).getByRole('listitem');
    expect(ua.textContent).toContain('2025-11-20');
    expect(ua.textContent).not.toContain('UTC');
    expect(screen.getByText('No stated position: Europe')).toBeTruthy();
  });

  it('marks events after the selected as-of date', () => {
    renderTimeline('2025-11-22');
    expect(screen.getAllByText('after the selected date')).toHaveLength(1);
    const russia = within(screen.getByRole('region', { name: 'Russia' })).getAllByRole('listitem');
    expect(russia[1]!.textContent).toContain('after the selected date');
    expect(russia[0]!.textContent).not.toContain('after the selected date');
  });

  it('names who proposed and who approved a stance or a retraction published through review', () => {
    const reviewed = stance('accept', { partyId: 'eu', recordedBy: 'ana@example.org', approvedBy: 'ben@example.org' });
    const undone = stance('amend', {
      partyId: 'eu',
      effectiveAt: '2025-11-19T00:00:00.000Z',
      retraction: { id: 'r2', seq: 12, reason: 'wrong day', recordedAt: '2025-11-23T10:00:00.000Z', recordedBy: 'ana@example.org', approvedBy: 'carl@example.org' },
    });
    const { container } = render(<StanceTimeline events={[reviewed, undone, ukraine]} parties={parties} actors={new Map()} asOf={null} />);
    expect(container.querySelector(`[data-event-id="${reviewed.id}"] .event__review`)?.textContent).toBe('Proposed by ana@example.org, approved by ben@example.org');
    expect(container.querySelector(`[data-event-id="${undone.id}"] .event__retraction`)?.textContent).toBe('Retracted on 2025-11-23: wrong day (proposed by ana@example.org, approved by carl@example.org)');
    expect(container.querySelector(`[data-event-id="${ukraine.id}"] .event__review`)).toBeNull();
  });
});
