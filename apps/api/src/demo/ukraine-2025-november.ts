import type { DemoDataset } from './demo-dataset';
import { paraphrased } from './ukraine-2025-sources';
import { US28 } from './ukraine-2025-us28';

/** The demo's stances of 20–27 November 2025, in the order of recordedAt (see ukraine-2025.ts for the rules). */
export const NOVEMBER: DemoDataset['stances'] = [
  // ---------- 20 Nov: the US draft ----------
  // The United States accepts all 28 points of its own draft: its plan, whatever the confidence.
  // Not `official`: no US actor is on record accepting it in the facts (FACTS.md names no US speaker
  // for 20 Nov; Trump's first recorded words on it, on 22 Nov, call it "not my final offer"), and a
  // plan presented to Kyiv in private is a document of the US, not a party's public words. Whose plan
  // it is is not in doubt, but what each point says is known from the text that leaked the same day:
  // `leaked`, the grade of a position read from a leaked text.
  ...Object.keys(US28).map((point) => ({
    party: 'US',
    point,
    position: 'accept' as const,
    confidence: 'leaked' as const,
    effectiveAt: '2025-11-20',
    recordedAt: '2025-11-20T21:00:00Z',
    source: paraphrased('US 28-point draft, presented in Kyiv and leaked', '2025-11-20'),
    note: 'The US position is its own draft as presented in Kyiv; the wording is known from the leaked text.',
    document: 'us28',
    milestone: 'm1',
  })),

  // ---------- 21 Nov: first reactions ----------
  {
    party: 'RU',
    point: 'p21',
    position: 'accept',
    confidence: 'reported',
    effectiveAt: '2025-11-21',
    recordedAt: '2025-11-21T19:00:00Z',
    actor: 'putin',
    source: paraphrased('Vladimir Putin', '2025-11-21'),
    note: 'Putin said the US plan could be the basis of a final settlement. He singled out no clause: that Moscow accepts the territorial terms is an inference from his welcome of the draft.',
    quote: 'could be the basis',
    document: 'us28',
  },
  {
    party: 'RU',
    point: 'p03',
    position: 'accept',
    confidence: 'reported',
    effectiveAt: '2025-11-21',
    recordedAt: '2025-11-21T19:00:00Z',
    actor: 'putin',
    source: paraphrased('Vladimir Putin', '2025-11-21'),
    note: 'Inferred, like the territorial terms, from Putin’s welcome of the draft as a basis; Moscow later asks for guarantees against NATO expansion.',
    document: 'us28',
  },
  {
    party: 'UA',
    point: 'p21',
    position: 'unclear',
    confidence: 'official',
    effectiveAt: '2025-11-21',
    recordedAt: '2025-11-21T21:00:00Z',
    actor: 'zelensky',
    source: paraphrased('Volodymyr Zelensky', '2025-11-21'),
    note: 'Zelensky said Ukraine faces a choice between its dignity and losing a key partner, and that Kyiv will work on the text. He named no clause: all his words establish here is that Ukraine’s answer is open.',
    document: 'us28',
  },

  // ---------- 22 Nov: Washington and the G20 ----------
  {
    party: 'US',
    point: 'p21',
    position: 'conditional',
    confidence: 'reported',
    effectiveAt: '2025-11-22',
    recordedAt: '2025-11-22T20:00:00Z',
    actor: 'trump',
    source: paraphrased('Donald Trump', '2025-11-22'),
    conditions: { text: 'An answer by Thanksgiving (27 Nov); the terms stay open to revision.' },
    note: 'Trump said the plan is not his final offer and set Thanksgiving as the deadline. He named no clause: applying it to the territorial terms is an inference.',
    quote: 'not my final offer',
    document: 'us28',
  },
  ...(
    [
      ['p21', 'amend', 'The leaders called the draft a basis that needs additional work and said borders must not be changed by force: recorded as a call to amend the territorial terms (an inference).', 'additional work'],
      ['p22', 'accept', 'Borders must not be changed by force: the principle of this point.', undefined],
      ['p06', 'amend', 'No limits on Ukraine’s forces that would leave it vulnerable.', undefined],
    ] as const
  ).map(([point, position, note, quote]) => ({
    party: 'EU',
    point,
    position,
    confidence: 'reported' as const,
    effectiveAt: '2025-11-22',
    recordedAt: '2025-11-23T09:00:00Z',
    source: paraphrased('European and other G20 leaders', '2025-11-22'),
    note,
    quote,
    document: 'us28',
  })),

  // ---------- 23 Nov: the E3 counter-proposal ----------
  ...(
    [
      ['p03', 'reject', 'The clause on no further NATO expansion is deleted.'],
      ['p05', 'amend', 'Guarantees that mirror NATO’s Article 5.'],
      ['p06', 'amend', '800,000 in peacetime instead of 600,000.'],
      ['p07', 'amend', 'Membership depends on a consensus of the allies, which does not exist, instead of a constitutional renunciation.'],
      ['p10', 'amend', 'The US guarantee mirrors Article 5.'],
      ['p14', 'amend', 'The assets stay frozen until Russia compensates Ukraine, instead of a US-led fund.'],
      ['p21', 'amend', 'Talks on territory start from the line of contact.'],
      ['p25', 'amend', 'Elections as soon as possible rather than within 100 days.'],
      ['p26', 'reject', 'The amnesty is removed.'],
    ] as const
  ).map(([point, position, note]) => ({
    party: 'EU',
    point,
    position,
    confidence: 'reported' as const,
    effectiveAt: '2025-11-23',
    recordedAt: '2025-11-24T10:00:00Z',
    source: paraphrased('E3 (UK, France, Germany) counter-proposal', '2025-11-23'),
    note,
    document: 'e3',
  })),
  {
    party: 'EU',
    point: 'p19',
    position: 'amend',
    confidence: 'unverified',
    effectiveAt: '2025-11-23',
    recordedAt: '2025-11-24T10:00:00Z',
    source: paraphrased('E3 counter-proposal, as described in a single report', '2025-11-23'),
    note: 'Only one report says the E3 text returns the Zaporizhzhia plant to Ukraine.',
    document: 'e3',
  },

  // ---------- 24 Nov: Moscow on the E3 text ----------
  {
    party: 'RU',
    point: 'p05',
    position: 'reject',
    confidence: 'reported',
    effectiveAt: '2025-11-24',
    recordedAt: '2025-11-24T19:00:00Z',
    actor: 'ushakov',
    source: paraphrased('Yuri Ushakov', '2025-11-24'),
    note: 'Ushakov called the European counter-proposal not constructive and said it does not suit Russia. He named no clause: recorded against the E3’s guarantees mirroring Article 5, one of its main changes (an inference).',
    quote: 'not constructive',
    document: 'e3',
  },
  {
    party: 'RU',
    point: 'p06',
    position: 'reject',
    confidence: 'reported',
    effectiveAt: '2025-11-24',
    recordedAt: '2025-11-24T19:00:00Z',
    actor: 'ushakov',
    source: paraphrased('Yuri Ushakov', '2025-11-24'),
    note: 'Recorded against the E3’s higher army cap, like the guarantees an inference from Ushakov’s rejection of the counter-proposal as a whole.',
    document: 'e3',
  },

  // ---------- 23–24 Nov: the Geneva framework ----------
  // A joint US–Ukraine text known from reporting, with no speaker named: `reported` for both sides.
  ...(
    [
      ['US', 'p05', 'accept', 'The guarantees are strengthened in the Geneva framework.'],
      ['US', 'p10', 'accept', 'The terms of the US guarantee are strengthened.'],
      ['US', 'p06', 'unclear', 'The 600,000 cap was reportedly dropped; no figure was disclosed.'],
      ['US', 'p07', 'unclear', 'The NATO question is left to the presidents.'],
      ['US', 'p21', 'unclear', 'Territory is bracketed (open).'],
      ['US', 'p26', 'reject', 'The amnesty is removed.'],
      ['UA', 'p05', 'accept', 'The guarantees are strengthened in the Geneva framework.'],
      ['UA', 'p07', 'unclear', 'The NATO question is left to the presidents.'],
      ['UA', 'p26', 'reject', 'The amnesty is removed.'],
    ] as const
  ).map(([party, point, position, note]) => ({
    party,
    point,
    position,
    confidence: 'reported' as const,
    effectiveAt: '2025-11-24',
    recordedAt: '2025-11-25T12:00:00Z',
    source: paraphrased('US–Ukraine talks, Geneva', '2025-11-24'),
    note,
    document: 'geneva',
    milestone: 'm2',
  })),

  // ---------- 25 Nov: Kyiv on Geneva ----------
  {
    party: 'UA',
    point: 'p10',
    position: 'accept',
    confidence: 'reported',
    effectiveAt: '2025-11-25',
    recordedAt: '2025-11-25T21:00:00Z',
    actor: 'umerov',
    source: paraphrased('Rustem Umerov, on the Geneva talks', '2025-11-25'),
    note: 'Umerov said Ukraine and the US reached a common understanding on the core terms in Geneva; the US dropped the 27 Nov deadline. He did not list the core terms: recorded against the strengthened US guarantee (an inference).',
    quote: 'common understanding',
    document: 'geneva',
    milestone: 'm2',
  },

  // ---------- 27 Nov: Putin in Bishkek ----------
  {
    party: 'RU',
    point: 'p28',
    position: 'conditional',
    confidence: 'official',
    effectiveAt: '2025-11-27',
    recordedAt: '2025-11-27T17:00:00Z',
    actor: 'putin',
    source: paraphrased('Vladimir Putin, Bishkek', '2025-11-27'),
    conditions: { text: 'Ukraine’s forces leave the territories Russia claims.', pointCodes: ['p21'] },
    note: 'Putin said the plan is now four documents, and a ceasefire comes only if Ukraine’s forces leave the territories Russia claims.',
  },
  {
    party: 'RU',
    point: 'p21',
    position: 'red_line',
    confidence: 'reported',
    effectiveAt: '2025-11-27',
    recordedAt: '2025-11-27T17:00:00Z',
    actor: 'putin',
    source: paraphrased('Vladimir Putin, Bishkek', '2025-11-27'),
    note: 'Inferred from his condition for a ceasefire: Ukraine withdraws from the territories Russia claims.',
  },
];
