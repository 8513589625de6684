import { render, screen } from '@testing-library/react';
import { matrixView, row } from '../../testing/fixtures';
import { PartyView } from './PartyView';

const parties = [
  { id: 'ru', code: 'RU', name: 'Russia', color: '#c00', parentId: null },
  { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null },
];
const view = matrixView(
  [
    row('p1', 'P1', 'Ceasefire line', { ru: 'accept', ua: 'red_line' }),
    row('p2', 'P2', 'Army size', { ru: null, ua: 'reject' }),
    row('p3', 'P3', 'Sanctions', { ru: 'red_line', ua: 'conditional' }),
    row('p4', 'P4', 'Elections', { ru: 'reject', ua: null }),
    row('p5', 'P5', 'NATO', { ru: 'red_line', ua: 'amend' }),
  ],
  parties,
);

function titles(): string[] {
  return screen.getAllByRole('rowheader').map((h) => h.querySelector('.point-title')?.textContent ?? '');
}

describe('PartyView', () => {
  it('orders red lines first, then reject, …, then no position', () => {
    render(<PartyView view={view} partyId="ru" party={undefined} caption="Russia now" onSelectParty={() => undefined} />);
    expect(titles()).toEqual(['Sanctions', 'NATO', 'Elections', 'Ceasefire line', 'Army size']);
    const positions = Array.from(document.querySelectorAll('td[data-position]')).map((td) => td.getAttribute('data-position'));
    expect(positions).toEqual(['red_line', 'red_line', 'reject', 'accept', 'none']);
  });

  it('orders another party by its own positions and lists its actors', () => {
    render(
      <PartyView
        view={view}
        partyId="ua"
        party={{
          id: 'ua',
          negotiationId: 'neg-1',
          code: 'UA',
          name: 'Ukraine',
          kind: 'state',
          color: '#0057b7',
          parentId: null,
          description: '',
          sortOrder: 1,
          actors: [{ id: 'a1', name: 'Volodymyr Zelensky', role: 'president', retired: false }],
          version: 1,
          createdAt: '2025-11-20T00:00:00.000Z',
          updatedAt: '2025-11-20T00:00:00.000Z',
        }}
        caption="Ukraine now"
        onSelectParty={() => undefined}
      />,
    );
    expect(titles()).toEqual(['Ceasefire line', 'Army size', 'NATO', 'Sanctions', 'Elections']);
    expect(screen.getByRole('heading', { name: 'Ukraine' })).toBeTruthy();
    expect(screen.getByRole('listitem').textContent).toBe('Volodymyr Zelensky, president');
  });
});
