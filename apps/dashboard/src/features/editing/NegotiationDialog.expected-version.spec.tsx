import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { AuthProvider } from '../auth/AuthProvider';
import { NegotiationDialog } from './NegotiationDialog';

const session = {
  token: 'tok-1',
  expiresAt: '2999-01-01T00:00:00.000Z',
  user: { id: 'u1', email: 'admin@example.org', name: 'Admin', role: 'admin' as const },
};
const at = '2025-11-20T00:00:00.000Z';

describe('NegotiationDialog: requireExpectedVersion', () => {
  it.each([
    [false, false],
    [true, true],
  ])('sends the setting as the admin left it (ticked: %s)', async (tick, sent) => {
    const calls: unknown[] = [];
    globalThis.fetch = jest.fn((_url: string, init?: RequestInit) => {
      calls.push(init?.body ? JSON.parse(String(init.body)) : undefined);
      const body = { id: 'n1', slug: 'talks', title: 'Talks', description: '', status: 'active', reviewPolicy: 'off', requireExpectedVersion: sent, seq: 1, version: 1, createdAt: at, updatedAt: at };
      return Promise.resolve({ ok: true, status: 201, statusText: '', json: () => Promise.resolve(body), text: () => Promise.resolve(JSON.stringify(body)) });
    }) as unknown as typeof fetch;
    const onCreated = jest.fn();
    render(
      <QueryClientProvider client={new QueryClient()}>
        <AuthProvider initial={session}>
          <NegotiationDialog onCreated={onCreated} onClose={() => undefined} />
        </AuthProvider>
      </QueryClientProvider>,
    );
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Talks' } });
    const box = screen.getByRole('checkbox', { name: /name the version it replaces/ }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    if (tick) fireEvent.click(box);
    fireEvent.click(screen.getByRole('button', { name: 'Create negotiation' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('talks'));
    expect(calls).toEqual([{ title: 'Talks', reviewPolicy: 'off', requireExpectedVersion: sent }]);
  });
});
