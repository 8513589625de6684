import type { Point } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { AuthProvider } from '../auth/AuthProvider';
import { PointDialog } from './PointDialog';

const session = {
  token: 'tok-1',
  expiresAt: '2999-01-01T00:00:00.000Z',
  user: { id: 'u1', email: 'ana@example.org', name: 'Ana', role: 'analyst' as const },
};

function point(version: number, title: string): Point {
  return {
    id: '7b0c4f0e-4a4e-4a61-9d53-0d7a3f1c2b11',
    negotiationId: 'neg-1',
    code: 'p07',
    title,
    category: 'security_guarantees',
    description: '',
    sortOrder: 7,
    derivedFrom: [],
    version,
    createdAt: '2025-11-20T00:00:00.000Z',
    updatedAt: '2025-11-20T00:00:00.000Z',
  };
}

type Answer = { status: number; body: unknown };
function serve(answers: Record<string, Answer[]>) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  globalThis.fetch = jest.fn((url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push({ method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const a = answers[`${method} ${url}`]?.shift() ?? { status: 500, body: { message: 'unexpected request' } };
    return Promise.resolve({
      ok: a.status < 300,
      status: a.status,
      statusText: '',
      json: () => Promise.resolve(a.body),
      text: () => Promise.resolve(JSON.stringify(a.body)),
    });
  }) as unknown as typeof fetch;
  return calls;
}

function renderDialog(props: { pointId?: string | null } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(['points', 'demo'], [point(3, 'NATO membership')]);
  const onClose = jest.fn();
  render(
    <QueryClientProvider client={client}>
      <AuthProvider initial={session}>
        <PointDialog slug="demo" pointId={props.pointId ?? null} onClose={onClose} />
      </AuthProvider>
    </QueryClientProvider>,
  );
  return onClose;
}

describe('PointDialog', () => {
  it('validates with the shared schema before sending: title and category are required', () => {
    const calls = serve({});
    renderDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Add point' }));
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Title must not be empty')).toBeTruthy();
    expect(screen.getByText(/^Category must be one of: territory/)).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Some fields need attention.');
    expect(calls).toHaveLength(0);

    // Fixing a field clears its message.
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Elections' } });
    expect(screen.queryByText('Title must not be empty')).toBeNull();
  });

  it('creates a point with POST and closes', async () => {
    const calls = serve({ 'POST /api/negotiations/demo/points': [{ status: 201, body: point(1, 'Elections') }] });
    const onClose = renderDialog();
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Elections' } });
    fireEvent.change(screen.getByLabelText('Category'), { target: { value: 'political' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add point' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls[0]).toEqual({ method: 'POST', url: '/api/negotiations/demo/points', body: { title: 'Elections', category: 'political' } });
  });

  it('sends the loaded version, shows a 409 clearly and reloads the other version on request', async () => {
    const id = point(3, '').id;
    const calls = serve({
      [`PATCH /api/negotiations/demo/points/${id}`]: [{ status: 409, body: { statusCode: 409, error: 'Conflict', code: 'VERSION_CONFLICT', message: 'version 4 is current' } }],
      'GET /api/negotiations/demo/points': [{ status: 200, body: [point(4, 'NATO membership ruled out')] }],
    });
    const onClose = renderDialog({ pointId: id });
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('NATO membership');
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Mine' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save point' }));

    const alert = await screen.findByText(/Someone else changed this point since you opened it/);
    expect(alert).toBeTruthy();
    expect(calls[0]?.body).toMatchObject({ title: 'Mine', expectedVersion: 3 });
    expect(onClose).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Reload point' }));
    await waitFor(() => expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('NATO membership ruled out'));
    expect(screen.queryByText(/Someone else changed/)).toBeNull();
  });
});
