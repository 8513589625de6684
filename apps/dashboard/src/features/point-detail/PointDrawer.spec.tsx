import type { Party, PointHistory } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { matrixView, row, stance } from '../../testing/fixtures';
import { PointDrawer } from './PointDrawer';

const history: PointHistory = {
  point: { id: 'p7', code: 'P7', title: 'NATO membership', category: 'security_guarantees' },
  provisions: [],
  events: [stance('reject', { partyId: 'ua', pointId: 'p7', actorId: 'a1' })],
  inherited: [],
};
const parties: Party[] = [
  {
    id: 'ua',
    negotiationId: 'neg-1',
    code: 'UA',
    name: 'Ukraine',
    kind: 'state',
    color: '#0057b7',
    parentId: null,
    description: '',
    sortOrder: 0,
    actors: [{ id: 'a1', name: 'Andrii Sybiha', role: 'foreign minister', retired: false }],
    version: 1,
    createdAt: '2025-11-20T00:00:00.000Z',
    updatedAt: '2025-11-20T00:00:00.000Z',
  },
];

function Harness({ asOf = null }: { asOf?: string | null }) {
  const [open, setOpen] = useState(false);
  return (
    <QueryClientProvider client={client}>
      <main id="main" tabIndex={-1}>
        <button type="button" onClick={() => setOpen(true)}>
          NATO membership
        </button>
        {open ? <PointDrawer slug="demo" pointId="p7" asOf={asOf} knownAt={null} onClose={() => setOpen(false)} /> : null}
      </main>
    </QueryClientProvider>
  );
}

let client: QueryClient;

describe('PointDrawer', () => {
  beforeEach(() => {
    client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    client.setQueryData(['point-history', 'demo', 'p7', null], history);
    client.setQueryData(['parties', 'demo'], parties);
    client.setQueryData(['points', 'demo'], []);
    client.setQueryData(['sources', 'demo'], new Map());
  });

  it('says who supports each party\'s stance in force on the point', () => {
    const view = matrixView([row('p7', 'P7', 'NATO membership', { ua: 'reject', ru: 'red_line' })], [
      { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null },
      { id: 'ru', code: 'RU', name: 'Russia', color: '#d52b1e', parentId: null },
    ]);
    view.rows[0]!.cells['ua'] = { ...view.rows[0]!.cells['ua']!, corroboration: { outlets: 2, sources: 3, corroborated: true } };
    client.setQueryData(['matrix', 'demo', null], view);
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'NATO membership' }));
    const items = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toContain('Ukraine (Reject): corroborated by 2 independent outlets');
    expect(items).toContain('Russia (Red line): single source');
  });

  it('is headed by the point as it was titled at the view\'s date (a point renamed since)', () => {
    client.setQueryData(['points', 'demo', 'at', 'p7', '2025-11-21', null], { ...history.point, title: 'NATO renunciation', negotiationId: 'neg-1' });
    client.setQueryData(['matrix', 'demo', '2025-11-21'], matrixView([row('p7', 'P7', 'NATO renunciation', { ua: 'reject' })], []));
    render(<Harness asOf="2025-11-21" />);
    fireEvent.click(screen.getByRole('button', { name: 'NATO membership' }));
    expect(screen.getByRole('dialog', { name: 'P7 · NATO renunciation' })).toBeTruthy();
  });

  it('is a labelled dialog that Escape closes, giving focus back to the opener', () => {
    render(<Harness />);
    const opener = screen.getByRole('button', { name: 'NATO membership' });
    opener.focus();
    fireEvent.click(opener);

    const dialog = screen.getByRole('dialog', { name: 'P7 · NATO membership' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close point detail' }));
    expect(dialog.textContent).toContain('Andrii Sybiha (foreign minister)');

    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('says whether the cited source has an archived copy, and opens the list of every stance citing it', async () => {
    const reuters = {
      id: 'source-reuters', negotiationId: 'neg-1', kind: 'news_report' as const, outlet: 'Reuters', title: null, url: null, publishedAt: null, language: null, description: null,
      version: 1, createdAt: '2025-11-20T00:00:00.000Z', updatedAt: '2025-11-20T00:00:00.000Z', archive: null,
    };
    client.setQueryData(['sources', 'demo'], new Map([[reuters.id, reuters]]));
    client.setQueryData(['source-stances', 'demo', reuters.id], { sourceId: reuters.id, items: history.events, nextBeforeSeq: null });
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'NATO membership' }));
    const drawer = screen.getByRole('dialog', { name: 'P7 · NATO membership' });
    expect(drawer.textContent).toContain('no archived copy');

    act(() => {
      client.setQueryData(['sources', 'demo'], new Map([[reuters.id, { ...reuters, archive: { sha256: 'b'.repeat(64), size: 10, contentType: 'text/html' as const, archivedAt: '2025-11-21T00:00:00.000Z', archivedBy: 'ana', textLength: 8 } }]]));
    });
    expect(await screen.findByRole('link', { name: 'Open stored copy' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Every stance citing it' }));
    const panel = screen.getByRole('dialog', { name: 'Source: Reuters' });
    expect(panel.textContent).toContain('Ukraine on p7');
  });
});
