import type { PlanDocument } from '@parley/contracts';
import { QueryClient } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { matrixView, row, stance } from '../../testing/fixtures';
import { replaceSnapshot } from '../live/apply-change';
import { applyCellUpdate, isDocumentScopedKey } from '../live/matrix-cache';
import { metricsPath } from '../trends/use-trends';
import { exportPath, EXPORT_CHOICES } from '../exports/export-links';
import { DocumentScope, scopeNote } from './DocumentScope';

const documents = [
  {
    id: 'd28',
    title: 'US 28-point draft',
    shortTitle: '28 points',
    publishedAt: '2025-11-20T00:00:00.000Z',
    provisions: [{ pointId: 'p1', number: '1', text: 'One' }],
  },
  {
    id: 'd20',
    title: 'The 20-point plan',
    shortTitle: '',
    publishedAt: '2025-11-30T00:00:00.000Z',
    provisions: [
      { pointId: 'p2', number: '1', text: 'Two' },
      { pointId: 'p1', number: '2', text: 'One' },
    ],
  },
] as PlanDocument[];

const parties = [
  { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null },
  { id: 'ru', code: 'RU', name: 'Russia', color: '#d52b1e', parentId: null },
];

describe('document scope (issue 18, item 7)', () => {
  it('the picker offers every document and "All points", and reports the choice', () => {
    const chosen: (string | null)[] = [];
    function Harness() {
      const [doc, setDoc] = useState<string | null>(null);
      return (
        <DocumentScope
          documents={documents}
          doc={doc}
          onChange={(next) => {
            chosen.push(next);
            setDoc(next);
          }}
        />
      );
    }
    render(<Harness />);
    const select = screen.getByLabelText('Document') as HTMLSelectElement;
    expect(Array.from(select.options, (o) => o.textContent)).toEqual(['All points', '28 points (2025-11-20)', 'The 20-point plan (2025-11-30)']);
    fireEvent.change(select, { target: { value: 'd20' } });
    expect(select.value).toBe('d20');
    fireEvent.change(select, { target: { value: '' } });
    expect(chosen).toEqual(['d20', null]);
  });

  it('says what a scope means', () => {
    expect(scopeNote(documents, null)).toBeNull();
    expect(scopeNote(documents, 'd20')).toBe('Scoped to The 20-point plan: its 2 points, numbered as in it, from 2025-11-30');
    expect(scopeNote(documents, 'd28')).toBe('Scoped to 28 points: its 1 point, numbered as in it, from 2025-11-20');
  });

  it('the trends and the exports ask for the same document', () => {
    expect(metricsPath('demo', { from: null, to: '2026-12-07', asOf: null, knownAt: null, documentId: 'd20' })).toBe(
      '/negotiations/demo/metrics?to=2026-12-07&documentId=d20',
    );
    const scope = { asOf: null, knownAt: null, cat: null, status: null, parties: null, q: null, doc: 'd20' };
    for (const choice of EXPORT_CHOICES) {
      const path = exportPath('demo', choice, scope, null);
      // The JSON dump is always the whole negotiation.
      expect(path.includes('documentId=d20')).toBe(choice.filtered);
    }
  });

  it('a scoped matrix keeps a live change of a point outside its text out, and is not replaced by a whole snapshot', () => {
    const scoped = { ...matrixView([row('p2', 'P2', 'Two', { ua: 'accept', ru: null })], parties), documentId: 'd20' };
    const outside = applyCellUpdate(scoped, { partyId: 'ua', pointId: 'p9', version: 3, current: stance('red_line', { partyId: 'ua', pointId: 'p9' }) }, 50);
    expect(outside?.rows).toBe(scoped.rows);
    expect(outside?.seq).toBe(50);
    // The whole negotiation's matrix does not know p9 either: it is read again.
    const whole = matrixView([row('p2', 'P2', 'Two', { ua: 'accept', ru: null })], parties);
    expect(applyCellUpdate(whole, { partyId: 'ua', pointId: 'p9', version: 3, current: null })).toBeNull();

    const client = new QueryClient();
    const scopedKey = ['matrix', 'demo', null, null, { documentId: 'd20' }];
    expect(isDocumentScopedKey(scopedKey)).toBe(true);
    expect(isDocumentScopedKey(['matrix', 'demo', null])).toBe(false);
    client.setQueryData(scopedKey, scoped);
    client.setQueryData(['matrix', 'demo', null], whole);
    const snapshot = { ...whole, seq: 99 };
    replaceSnapshot(client, 'demo', snapshot);
    expect((client.getQueryData(['matrix', 'demo', null]) as { seq: number }).seq).toBe(99);
    expect(client.getQueryData(scopedKey)).toBe(scoped);
    expect(client.getQueryState(scopedKey)?.isInvalidated).toBe(true);
  });
});
