import { render, screen, within } from '@testing-library/react';
import { ProvisionDiff } from './ProvisionDiff';

const provision = (documentId: string, documentTitle: string, publishedAt: string, text: string) => ({
  documentId,
  documentTitle,
  publishedAt,
  number: '7',
  text,
});

describe('ProvisionDiff', () => {
  it('marks an inserted and a deleted word against the previous document', () => {
    render(
      <ProvisionDiff
        provisions={[
          // Out of order on purpose: versions are compared by publication date.
          provision('d2', 'European counter-proposal', '2025-11-23T00:00:00.000Z', 'Ukraine will never join NATO soon'),
          provision('d1', 'US 28-point draft', '2025-11-20T00:00:00.000Z', 'Ukraine will not join NATO soon'),
        ]}
      />,
    );
    const [first, second] = screen.getAllByRole('listitem');
    expect(within(first!).getByRole('heading').textContent).toContain('US 28-point draft');
    expect(first!.querySelector('ins, del')).toBeNull();

    const ins = second!.querySelectorAll('ins');
    const del = second!.querySelectorAll('del');
    expect(ins).toHaveLength(1);
    expect(del).toHaveLength(1);
    expect(ins[0]!.textContent).toContain('never');
    expect(ins[0]!.textContent).not.toContain('not');
    expect(del[0]!.textContent).toContain('not');
    // Screen readers hear what changed, not only a styling difference.
    expect(ins[0]!.textContent).toContain('added');
    expect(del[0]!.textContent).toContain('removed');
    expect(second!.querySelector('.provision__text')!.textContent).toMatch(/^Ukraine will .*join NATO soon$/);
  });

  it('says so when no document has the point', () => {
    render(<ProvisionDiff provisions={[]} />);
    expect(screen.getByText('No document contains this point yet.')).toBeTruthy();
  });
});
