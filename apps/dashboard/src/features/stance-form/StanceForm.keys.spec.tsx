import type { StanceCreate } from '@parley/contracts';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { milestoneRecord, planDocument, point, stance } from '../../testing/fixtures';
import { StanceForm } from './StanceForm';
import type { StanceTarget, SubmitOutcome } from './types';

const PARTY = '11111111-1111-4111-8111-111111111111';
const POINT = '22222222-2222-4222-8222-222222222222';
const P05 = '22222222-2222-4222-8222-222222222205';
const P10 = '22222222-2222-4222-8222-222222222210';
const target: StanceTarget = { partyId: PARTY, partyName: 'Russia', pointId: POINT, pointLabel: 'p06 Armed forces', version: 2, current: null };

function setup() {
  const submit = jest.fn<Promise<SubmitOutcome>, [StanceCreate, string]>().mockResolvedValue({
    kind: 'saved',
    result: { event: stance('reject'), cell: { partyId: PARTY, pointId: POINT, version: 3, current: stance('reject') } },
  });
  const onCancel = jest.fn();
  render(
    <StanceForm
      target={target}
      actors={[]}
      points={[point(POINT, 'p06', 'Armed forces'), point(P05, 'p05', 'Security guarantees'), point(P10, 'p10', 'Sanctions relief')]}
      documents={[planDocument('doc-1', 'US 28-point draft', '2025-11-20', [])]}
      milestones={[milestoneRecord('ms-1', 'Geneva talks', '2025-11-23')]}
      submit={submit}
      onSaved={jest.fn()}
      onTakeTheirs={jest.fn()}
      onCancel={onCancel}
      now={new Date('2025-11-26T10:00:00Z')}
    />,
  );
  return { submit, onCancel };
}

const linked = () =>
  within(screen.getByRole('group', { name: /^Depends on points/ }))
    .getAllByRole('checkbox')
    .map((c) => c.closest('label')?.textContent?.trim());
const key = (el: Element, k: string, init: Partial<KeyboardEventInit> = {}) => fireEvent.keyDown(el, { key: k, ...init });
const checked = () => screen.getAllByRole('radio').find((r) => (r as HTMLInputElement).checked && r.hasAttribute('data-position'))?.getAttribute('value') ?? null;

describe('the stance form’s keys', () => {
  it('chooses the position with 1–6 and moves the focus to it; digits typed into a field stay there', () => {
    setup();
    const accept = screen.getByRole('radio', { name: 'Accept' });
    accept.focus();
    key(accept, '6');
    expect(checked()).toBe('red_line');
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: 'Red line' }));
    key(document.activeElement!, '2');
    expect(checked()).toBe('conditional');
    // In a text field (or a date, or a select's type-ahead) a digit is typing, not a shortcut.
    for (const label of ['Note', 'Effective date', 'Milestone']) {
      key(screen.getByLabelText(label), '5');
      expect(checked()).toBe('conditional');
    }
    // With a modifier the digit is the browser's, not the form's.
    key(screen.getByRole('radio', { name: 'Conditional' }), '4', { altKey: true });
    expect(checked()).toBe('conditional');
  });

  it('jumps to a part of the form with its letter', () => {
    setup();
    const from = screen.getByRole('radio', { name: 'Accept' });
    const cases: [string, HTMLElement][] = [
      ['m', screen.getByLabelText('Milestone')],
      ['d', screen.getByLabelText('Document')],
      ['p', screen.getByLabelText('Find a point')],
      ['c', screen.getByLabelText('Conditions')],
      ['q', screen.getByLabelText('Quote (original words)')],
      ['s', screen.getByLabelText('Outlet')],
      ['e', screen.getByLabelText('Effective date')],
      ['f', screen.getByLabelText('Confidence')],
      ['n', screen.getByLabelText('Note')],
    ];
    for (const [letter, field] of cases) {
      from.focus();
      key(from, letter);
      expect(document.activeElement).toBe(field);
    }
    // Typed into a field, the letter is text.
    const note = screen.getByLabelText('Note');
    note.focus();
    key(note, 'm');
    expect(document.activeElement).toBe(note);
  });

  it('opens the list of keys with ? (and its button); Esc there closes the list, not the form', async () => {
    const { onCancel } = setup();
    const accept = screen.getByRole('radio', { name: 'Accept' });
    accept.focus();
    key(accept, '?');
    const help = screen.getByRole('dialog', { name: 'Keys of the stance form' });
    const text = help.textContent ?? '';
    expect(text).toContain('position: 1 Accept, 2 Conditional, 3 Amend, 4 Unclear, 5 Reject, 6 Red line');
    expect(text).toContain('go to milestone');
    expect(text).toContain('save from anywhere, a text area too');
    expect(within(help).getAllByRole('term').map((t) => t.textContent)).toEqual(expect.arrayContaining(['1 2 3 4 5 6', '?', 'Esc', 'Ctrl+Enter', 'Tab or Shift+Tab']));
    // Keys typed in the list are not the form's.
    key(within(help).getByRole('button', { name: 'Back to the form' }), '3');
    expect(checked()).toBeNull();
    key(within(help).getByRole('button', { name: 'Back to the form' }), 'Escape');
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Keys of the stance form' })).toBeNull());
    expect(onCancel).not.toHaveBeenCalled();
    // A ? typed into a field is a question mark.
    key(screen.getByLabelText('Note'), '?');
    expect(screen.queryByRole('dialog', { name: 'Keys of the stance form' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Keys (?)' }));
    expect(screen.getByRole('dialog', { name: 'Keys of the stance form' })).toBeTruthy();
  });

  it('saves with Enter on a choice or a one-line field, not in a text area (a new line) unless with Ctrl', async () => {
    const { submit } = setup();
    const reject = screen.getByRole('radio', { name: 'Reject' });
    fireEvent.click(reject);
    fireEvent.change(screen.getByLabelText('Outlet'), { target: { value: 'TASS' } });
    const note = screen.getByLabelText('Note');
    key(note, 'Enter');
    expect(submit).not.toHaveBeenCalled();
    key(note, 'Enter', { ctrlKey: true });
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(1));
    key(reject, 'Enter');
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(2));
    key(screen.getByLabelText('Milestone'), 'Enter');
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(3));
    expect(submit.mock.calls[0]![0]).toMatchObject({ position: 'reject', source: { outlet: 'TASS' } });
  });

  it('Enter in the point search adds the one point that matches, without saving', () => {
    const { submit } = setup();
    const find = screen.getByLabelText('Find a point');
    // The stance's own point is not offered.
    expect(screen.queryByRole('checkbox', { name: /p06/ })).toBeNull();
    fireEvent.change(find, { target: { value: 'sanct' } });
    expect(linked()).toEqual(['p10 Sanctions relief']);
    key(find, 'Enter');
    expect(submit).not.toHaveBeenCalled();
    expect(screen.getByRole('checkbox', { name: 'p10 Sanctions relief' })).toHaveProperty('checked', true);
    expect(screen.getByRole('group', { name: 'Depends on points (1 chosen)' })).toBeTruthy();
    // Cleared, the chosen point is listed first.
    expect((find as HTMLInputElement).value).toBe('');
    expect(linked()).toEqual(['p10 Sanctions relief', 'p05 Security guarantees']);
  });
});
