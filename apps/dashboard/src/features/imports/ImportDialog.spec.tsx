import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ImportReport } from '@parley/contracts';
import { AuthProvider } from '../auth/AuthProvider';
import { ImportDialog } from './ImportDialog';
import { fileKind, importPath } from './send-import';

const session = {
  token: 'tok-7',
  expiresAt: '2999-01-01T00:00:00.000Z',
  user: { id: 'u1', email: 'ana@example.org', name: 'Ana', role: 'analyst' as const },
};

function report(patch: Partial<ImportReport>): ImportReport {
  return {
    dryRun: true,
    kind: 'stances',
    negotiation: { id: 'n1', slug: 'demo', title: 'Demo talks' },
    counts: { stanceEvents: { created: 2, updated: 0, unchanged: 1 } },
    unchanged: false,
    errors: [],
    ...patch,
  };
}

function answers(...bodies: { status: number; body: unknown }[]) {
  const queue = [...bodies];
  const mock = jest.fn((_url: string, _init?: RequestInit) => {
    const next = queue.shift();
    if (!next) throw new Error('unexpected request');
    return Promise.resolve({ ok: next.status < 300, status: next.status, statusText: '', text: () => Promise.resolve(JSON.stringify(next.body)) });
  });
  globalThis.fetch = mock as unknown as typeof fetch;
  return mock;
}

function renderDialog(onOpen = jest.fn(), role: 'analyst' | 'admin' = 'analyst') {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <AuthProvider initial={{ ...session, user: { ...session.user, role } }}>
        <ImportDialog slug="demo" onClose={jest.fn()} onOpen={onOpen} />
      </AuthProvider>
    </QueryClientProvider>,
  );
  return onOpen;
}

function pick(name: string, text: string) {
  const file = new File([text], name, { type: name.endsWith('.csv') ? 'text/csv' : 'application/json' });
  fireEvent.change(screen.getByLabelText('File'), { target: { files: [file] } });
}

describe('import helpers', () => {
  it('send CSV rows into the negotiation on screen, and a dump on its own', () => {
    expect(importPath('stances', 'demo', true)).toBe('/negotiations/import?dryRun=true&negotiation=demo&kind=stances');
    expect(importPath('dump', 'demo', false)).toBe('/negotiations/import');
    expect(fileKind('Rows.CSV')).toBe('csv');
    expect(fileKind('dump.json')).toBe('json');
    expect(fileKind('notes.txt')).toBeNull();
  });
});

describe('ImportDialog', () => {
  it('checks a CSV file first (dry run), then imports it with the analyst’s token', async () => {
    const mock = answers({ status: 200, body: report({}) }, { status: 200, body: report({ dryRun: false }) });
    renderDialog();
    pick('rows.csv', 'party,point,position,effectiveAt\r\nUA,p01,accept,2025-12-01\r\n');
    await screen.findByRole('radio', { name: 'stance events' });
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    await screen.findByText(/Check passed/);
    expect(screen.getByRole('row', { name: /Stance events 2 0 1/ })).toBeTruthy();
    const [url, init] = mock.mock.calls[0]!;
    expect(url).toBe('/api/negotiations/import?dryRun=true&negotiation=demo&kind=stances');
    expect((init?.headers as Record<string, string>)['content-type']).toBe('text/csv');
    expect((init?.headers as Record<string, string>)['authorization']).toBe('Bearer tok-7');
    expect(init?.body).toContain('UA,p01,accept');

    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    await screen.findByText('Imported into “Demo talks”.');
    expect(mock.mock.calls[1]![0]).toBe('/api/negotiations/import?negotiation=demo&kind=stances');
  });

  it('lists every problem with its row and offers no import', async () => {
    const mock = answers({ status: 200, body: report({ errors: [{ field: 'row 3: position', message: 'must be one of: accept, …', row: 3 }] }) });
    renderDialog();
    pick('points.csv', 'code,title,category\r\n');
    fireEvent.click(await screen.findByRole('radio', { name: 'points' }));
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    await screen.findByText('1 problem: fix the file and check it again.');
    expect(screen.getByText('row 3: position')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Import' })).toBeNull();
    expect(mock.mock.calls[0]![0]).toBe('/api/negotiations/import?dryRun=true&negotiation=demo&kind=points');
  });

  it('shows a refused dump’s message and offers to open an imported one', async () => {
    answers(
      { status: 409, body: { statusCode: 409, error: 'Conflict', code: 'CONFLICT', message: 'a different history is already here' } },
      { status: 200, body: report({ kind: 'dump', counts: {} }) },
      { status: 200, body: report({ kind: 'dump', dryRun: false, negotiation: { id: 'n2', slug: 'other', title: 'Other talks' } }) },
    );
    const onOpen = renderDialog(jest.fn(), 'admin');
    pick('dump.json', '{}');
    await waitFor(() => expect((screen.getByRole('button', { name: 'Check file' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    expect((await screen.findByRole('alert')).textContent).toBe('a different history is already here');
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Import' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Open “Other talks”' }));
    expect(onOpen).toHaveBeenCalledWith('other');
  });

  it('tells an analyst who picks a dump that it needs an admin, before sending anything', async () => {
    const mock = answers();
    renderDialog();
    pick('dump.json', '{}');
    expect((await screen.findByRole('alert')).textContent).toContain('dump.json is a negotiation dump: importing it creates a negotiation, which only an admin can do');
    expect((screen.getByRole('button', { name: 'Check file' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(screen.getByRole('button', { name: 'Check file' }).closest('form')!);
    expect(mock).not.toHaveBeenCalled();
  });

  it('refuses a file that is neither JSON nor CSV', async () => {
    renderDialog();
    pick('notes.txt', 'hello');
    expect((await screen.findByRole('alert')).textContent).toContain('choose a .json negotiation dump or a .csv file');
  });
});
