import type { Actor, StanceCreate } from '@parley/contracts';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { stance } from '../../testing/fixtures';
import { StanceForm } from './StanceForm';
import type { StanceTarget, SubmitOutcome, SubmitStance } from './types';

const PARTY = '11111111-1111-4111-8111-111111111111';
const POINT = '22222222-2222-4222-8222-222222222222';
const ACTOR = '33333333-3333-4333-8333-333333333333';
const actors: Actor[] = [{ id: ACTOR, name: 'Yuri Ushakov', role: 'Kremlin aide', retired: false }];
const target: StanceTarget = {
  partyId: PARTY,
  partyName: 'Russia',
  pointId: POINT,
  pointLabel: "p06 Cap on Ukraine's armed forces",
  version: 3,
  current: stance('reject', { partyId: PARTY, pointId: POINT }),
};

function setup(submit: SubmitStance = jest.fn()) {
  const onSaved = jest.fn();
  const onTakeTheirs = jest.fn();
  render(
    <StanceForm
      target={target}
      actors={actors}
      submit={submit}
      onSaved={onSaved}
      onTakeTheirs={onTakeTheirs}
      onCancel={jest.fn()}
      now={new Date('2025-11-26T10:00:00Z')}
    />,
  );
  return { submit, onSaved, onTakeTheirs };
}

const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

// The form is large and jsdom's role queries walk all of it: on a busy machine a test takes seconds.
jest.setTimeout(20_000);

describe('StanceForm', () => {
  it('defaults the effective date to today (UTC) and offers the party’s actors', () => {
    setup();
    expect((screen.getByLabelText('Effective date') as HTMLInputElement).value).toBe('2025-11-26');
    expect(within(screen.getByLabelText('Actor')).getByRole('option', { name: 'Yuri Ushakov (Kremlin aide)' })).toBeTruthy();
    expect(within(screen.getByRole('group', { name: /Position/ })).getAllByRole('radio').map((r) => (r.closest('label') as HTMLElement).querySelector('.position-chip')?.textContent)).toEqual([
      'Accept',
      'Conditional',
      'Amend',
      'Unclear',
      'Reject',
      'Red line',
    ]);
  });

  it('shows the shared schema’s messages next to each field and does not submit', () => {
    const { submit } = setup();
    fill('Effective date', '2025-02-30');
    fill('Source URL', 'ftp://example.org/x');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    expect(submit).not.toHaveBeenCalled();

    const position = screen.getByRole('group', { name: /Position/ });
    expect(position.getAttribute('aria-invalid')).toBe('true');
    expect(within(position).getByText(/must be one of: accept, conditional/)).toBeTruthy();

    const date = screen.getByLabelText('Effective date');
    expect(date.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(date.getAttribute('aria-describedby')!)!.textContent).toMatch(/must be an ISO 8601 date/);

    const url = screen.getByLabelText('Source URL');
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(url.getAttribute('aria-describedby')!)!.textContent).toBe('must be an http(s) URL');
  });

  it('refuses a date far ahead unless the position is marked as scheduled, then sends scheduled: true', async () => {
    const submit = jest.fn<Promise<SubmitOutcome>, [StanceCreate]>(() => new Promise<SubmitOutcome>(() => undefined));
    setup(submit);
    fireEvent.click(screen.getByRole('radio', { name: 'Accept' }));
    fill('Outlet', 'Reuters');
    fill('Effective date', '2999-02-01');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    expect(submit).not.toHaveBeenCalled();
    const date = screen.getByLabelText('Effective date');
    expect(document.getElementById(date.getAttribute('aria-describedby')!)!.textContent).toMatch(/^is more than a day after now/);
    fireEvent.click(screen.getByLabelText(/Scheduled: announced to take effect on a later date/));
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(1));
    expect(submit.mock.calls[0][0]).toMatchObject({ effectiveAt: '2999-02-01', scheduled: true });
  });

  it('asks for a url, an outlet, a title or a description (the API also takes none, for imports; a stance entered by hand names its source)', () => {
    setup();
    fireEvent.click(screen.getByRole('radio', { name: 'Accept' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    const outlet = screen.getByLabelText('Outlet');
    expect(document.getElementById(outlet.getAttribute('aria-describedby')!)!.textContent).toBe('needs at least a url, an outlet, a title or a description');
  });

  it('submits a valid stance with the version it was opened on and an idempotency key', async () => {
    const submit = jest.fn<Promise<SubmitOutcome>, [StanceCreate, string]>().mockResolvedValue({
      kind: 'saved',
      result: { event: stance('red_line'), cell: { partyId: PARTY, pointId: POINT, version: 4, current: stance('red_line') } },
    });
    const { onSaved } = setup(submit);
    fireEvent.click(screen.getByRole('radio', { name: 'Red line' }));
    fill('Outlet', 'TASS');
    fill('Conditions', 'Only with a ceasefire');
    fill('Actor', ACTOR);
    fill('Effective date', '2025-11-20');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const [body, key] = submit.mock.calls[0]!;
    expect(body).toEqual({
      partyId: PARTY,
      pointId: POINT,
      position: 'red_line',
      confidence: 'reported',
      effectiveAt: '2025-11-20',
      source: { outlet: 'TASS' },
      conditions: { text: 'Only with a ceasefire' },
      actorId: ACTOR,
      expectedVersion: 3,
    });
    expect(key).toMatch(/.{8,}/);
  });

  it('sends a quote with its language and a translation, and says a language needs a quote', async () => {
    const submit = jest.fn<Promise<SubmitOutcome>, [StanceCreate, string]>().mockResolvedValue({
      kind: 'saved',
      result: { event: stance('reject'), cell: { partyId: PARTY, pointId: POINT, version: 4, current: stance('reject') } },
    });
    const { onSaved } = setup(submit);
    fireEvent.click(screen.getByRole('radio', { name: 'Reject' }));
    fill('Outlet', 'TASS');
    fill('Quote language', 'ru');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    expect(screen.getByLabelText('Quote language').closest('.form-row')?.textContent).toContain('needs a quote');
    expect(submit).not.toHaveBeenCalled();
    fill('Quote (original words)', 'Это неприемлемо');
    fill('Translation', 'This is unacceptable');
    fill('Translation language', 'en');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(submit.mock.calls[0]![0]).toMatchObject({ quote: 'Это неприемлемо', quoteLanguage: 'ru', translation: 'This is unacceptable', translationLanguage: 'en' });
  });

  it('on 409 shows their stance next to mine; "Keep mine" resubmits against their version', async () => {
    const theirs = stance('accept', {
      partyId: PARTY,
      pointId: POINT,
      actorId: ACTOR,
      recordedBy: 'colleague@example.org',
      effectiveAt: '2025-11-24T00:00:00.000Z',
      source: { id: 'source-1', kind: 'news_report', url: null, outlet: 'Reuters', title: 'Kremlin aide speaks', publishedAt: null, language: null, description: null },
    });
    const submit = jest
      .fn<Promise<SubmitOutcome>, [StanceCreate, string]>()
      .mockResolvedValueOnce({ kind: 'conflict', theirs: { partyId: PARTY, pointId: POINT, version: 5, current: theirs } })
      .mockResolvedValueOnce({ kind: 'saved', result: { event: theirs, cell: { partyId: PARTY, pointId: POINT, version: 6, current: theirs } } });
    const { onSaved } = setup(submit);
    fireEvent.click(screen.getByRole('radio', { name: 'Reject' }));
    fill('Outlet', 'TASS');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));

    expect(await screen.findByText('Someone else changed this cell')).toBeTruthy();
    const mine = screen.getByRole('region', { name: 'Yours (not saved)' });
    const their = screen.getByRole('region', { name: 'Theirs (saved)' });
    expect(their.textContent).toContain('Accept (official)');
    expect(their.textContent).toContain('Reuters');
    expect(their.textContent).toContain('Yuri Ushakov');
    expect(their.textContent).toContain('colleague@example.org');
    expect(their.textContent).toContain('effective 2025-11-24');
    expect(mine.textContent).toContain('Reject (reported)');
    expect(mine.textContent).toContain('TASS');

    const firstKey = submit.mock.calls[0]![1];
    fireEvent.click(screen.getByRole('button', { name: 'Keep mine' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const [body, key] = submit.mock.calls[1]!;
    expect(body.expectedVersion).toBe(5);
    expect(body.position).toBe('reject');
    expect(key).not.toBe(firstKey);
  });

  it('"Take theirs" hands their cell back without submitting', async () => {
    const theirs = { partyId: PARTY, pointId: POINT, version: 5, current: null };
    const submit = jest.fn<Promise<SubmitOutcome>, [StanceCreate, string]>().mockResolvedValue({ kind: 'conflict', theirs });
    const { onTakeTheirs } = setup(submit);
    fireEvent.click(screen.getByRole('radio', { name: 'Accept' }));
    fill('Outlet', 'AP');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Take theirs' }));
    expect(onTakeTheirs).toHaveBeenCalledWith(theirs);
    expect(submit).toHaveBeenCalledTimes(1);
  });

  it('puts the API’s field messages next to the fields', async () => {
    const submit = jest
      .fn<Promise<SubmitOutcome>, [StanceCreate, string]>()
      .mockResolvedValue({ kind: 'invalid', message: 'bad', details: [{ field: 'body.actorId', message: 'is not an actor of this party' }] });
    setup(submit);
    fireEvent.click(screen.getByRole('radio', { name: 'Accept' }));
    fill('Outlet', 'AP');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    expect(await screen.findByText('is not an actor of this party')).toBeTruthy();
    expect(screen.getByLabelText('Actor').getAttribute('aria-invalid')).toBe('true');
  });
});
