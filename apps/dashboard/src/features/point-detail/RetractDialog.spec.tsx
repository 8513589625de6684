import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { stance } from '../../testing/fixtures';
import { AuthProvider } from '../auth/AuthProvider';
import { RetractDialog } from './RetractDialog';
import { StanceTimeline } from './StanceTimeline';

const event = stance('red_line', { partyId: 'ru', pointId: 'p7' });
const session = {
  token: 'tok-123',
  expiresAt: '2999-01-01T00:00:00.000Z',
  user: { id: 'u1', email: 'ana@example.org', name: 'Ana', role: 'analyst' as const },
};

function renderDialog(onClose = jest.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AuthProvider initial={session}>
        <RetractDialog slug="demo" event={event} label="Russia: Red line" onClose={onClose} />
      </AuthProvider>
    </QueryClientProvider>,
  );
  return onClose;
}

function answer(status: number, body: unknown) {
  const fetchMock = jest.fn((_url: string, _init?: RequestInit) =>
    Promise.resolve({ ok: status < 300, status, statusText: '', text: () => Promise.resolve(JSON.stringify(body)) }),
  );
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  return fetchMock;
}

describe('RetractDialog', () => {
  it('requires a reason and sends nothing without one', () => {
    const fetchMock = answer(201, {});
    renderDialog();
    fireEvent.change(screen.getByLabelText('Reason (required)'), { target: { value: '   ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Retract event' }));
    const reason = screen.getByLabelText('Reason (required)');
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Reason must not be empty')).toBeTruthy();
    expect(document.activeElement).toBe(reason);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('posts the reason with the bearer token and closes when the API accepts it', async () => {
    const cell = { partyId: 'ru', pointId: 'p7', version: 3, current: null };
    const fetchMock = answer(201, { event: { ...event, retraction: { reason: 'Misattributed' } }, cell });
    const onClose = renderDialog();
    fireEvent.change(screen.getByLabelText('Reason (required)'), { target: { value: 'Misattributed quote' } });
    fireEvent.click(screen.getByRole('button', { name: 'Retract event' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe(`/api/stance-events/${event.id}/retract`);
    expect(init?.method).toBe('POST');
    expect((init?.headers as Record<string, string>)['authorization']).toBe('Bearer tok-123');
    expect(JSON.parse(String(init?.body))).toEqual({ reason: 'Misattributed quote' });
  });

  it('shows the API error and stays open', async () => {
    answer(409, { statusCode: 409, error: 'Conflict', code: 'ALREADY_RETRACTED', message: 'already retracted' });
    const onClose = renderDialog();
    fireEvent.change(screen.getByLabelText('Reason (required)'), { target: { value: 'Duplicate' } });
    fireEvent.click(screen.getByRole('button', { name: 'Retract event' }));
    expect((await screen.findByRole('alert')).textContent).toContain('already retracted');
    expect(onClose).not.toHaveBeenCalled();
  });
});

describe('StanceTimeline retract buttons', () => {
  it('offers "Retract" on standing events only, and only when asked to', () => {
    const retracted = stance('reject', {
      partyId: 'ru',
      effectiveAt: '2025-11-20T00:00:00.000Z',
      retraction: { id: 'r', seq: 2, reason: 'x', recordedAt: '2025-11-22T00:00:00.000Z', recordedBy: 'a' },
    });
    const onRetract = jest.fn();
    const parties = [{ id: 'ru', name: 'Russia', color: '#c00' }];
    const { rerender } = render(<StanceTimeline events={[event, retracted]} parties={parties} actors={new Map()} asOf={null} onRetract={onRetract} />);
    const buttons = screen.getAllByRole('button', { name: /^Retract Russia/ });
    expect(buttons).toHaveLength(1);
    fireEvent.click(buttons[0]!);
    expect(onRetract).toHaveBeenCalledWith(event, 'Russia: Red line, effective 2025-11-21');
    rerender(<StanceTimeline events={[event, retracted]} parties={parties} actors={new Map()} asOf={null} />);
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });
});
