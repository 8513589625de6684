import type { DemoDataset } from './demo-dataset';
import { DECEMBER, DECEMBER_RETRACTIONS } from './ukraine-2025-december';
import { NOVEMBER } from './ukraine-2025-november';
import { US28 } from './ukraine-2025-us28';
import { SEED_ARTICLE_TEXT } from './seed-article';
import { SEED } from './ukraine-2025-sources';

/**
 * Demo negotiation: the US peace plan for Ukraine, November–December 2025.
 *
 * Built only from FACTS.md and the seed article of the project (apps/api/test/fixtures/seed/ holds
 * a copy; the demo test checks the dataset against them). The stances are in
 * ukraine-2025-november.ts and ukraine-2025-december.ts, their sources in ukraine-2025-sources.ts.
 * The one publication is the seed article,
 * cited under its outlet and headline, without a URL (none is given). Every other fact is cited as
 * what FACTS.md gives: paraphrased public reporting, with its speaker, the venue where stated and
 * the date; no outlet, headline or URL is made up.
 *
 * Confidence, as an analyst grades it:
 * - `official`: a party's own on-record words, its own actor speaking (or publishing its own text);
 * - `reported`: an inference from someone's words (which clause a general remark concerns), or a
 *   position the facts give without a named speaker of the party;
 * - `leaked`: read from a text that reached the public by a leak;
 * - `unverified`: a single report.
 * A general remark recorded against a point may also be `official` with position `unclear`: the
 * words are on record, and all they establish about the point is that it is open.
 * Quotes are only words FACTS.md or the seed article put in quotation marks, attributed as they do.
 *
 * `recordedAt` is when an analyst following the news would have recorded it: hours to two days
 * after it took effect, so "known at" differs from "as of". Stances are listed in that order.
 * Provision texts are short analyst summaries, not quotations of the documents.
 */

/** Provisions numbered in the order given; `text` overrides the US wording, otherwise it is kept verbatim. */
function provisions(
  items: readonly (readonly [code: string, number: string, text?: string])[],
): DemoDataset['documents'][number]['provisions'] {
  return items.map(([pointCode, number, text]) => {
    const wording = text ?? US28[pointCode];
    if (wording === undefined) throw new Error(`No US wording for ${pointCode}`);
    return { pointCode, number, text: wording };
  });
}

export const UKRAINE_2025: DemoDataset = {
  negotiation: {
    slug: 'ukraine-peace-2025',
    title: 'US peace plan for Ukraine (2025)',
    description:
      "Tracks where Russia, Ukraine, the United States, Europe and NATO stand on the peace plan Washington tabled in November 2025, " +
      'through the European counter-proposal, the Geneva framework and the 20-point text Kyiv published on 24 December. ' +
      'A paraphrased reconstruction from public reporting of November–December 2025, for demonstration: ' +
      'one news article (BBC News Brasil, 3 December 2025) is cited as published; every other stance is paraphrased reporting, ' +
      'cited by speaker, venue and date, and graded by how firmly it establishes the position.',
    status: 'active',
  },

  parties: [
    {
      code: 'RU',
      name: 'Russia',
      kind: 'state',
      color: '#D55E00',
      description:
        'The Russian Federation. Deals with the plan mainly through direct talks with the US envoys.',
      actors: [
        { key: 'putin', name: 'Vladimir Putin', role: 'President' },
        { key: 'ushakov', name: 'Yuri Ushakov', role: 'Kremlin foreign-policy aide' },
        { key: 'peskov', name: 'Dmitry Peskov', role: 'Kremlin spokesman' },
        { key: 'lavrov', name: 'Sergei Lavrov', role: 'Foreign minister' },
        { key: 'dmitriev', name: 'Kirill Dmitriev', role: 'Presidential envoy' },
      ],
    },
    {
      code: 'UA',
      name: 'Ukraine',
      kind: 'state',
      color: '#0072B2',
      description:
        'Ukraine. Negotiates the text mostly with the US delegation, in close coordination with its European partners.',
      actors: [
        { key: 'zelensky', name: 'Volodymyr Zelensky', role: 'President' },
        { key: 'yermak', name: 'Andriy Yermak', role: 'Head of the Presidential Office (until 28 Nov 2025)' },
        { key: 'umerov', name: 'Rustem Umerov', role: 'Security council secretary; lead negotiator' },
      ],
    },
    {
      code: 'US',
      name: 'United States',
      kind: 'mediator',
      color: '#E69F00',
      description:
        'Drafted the 28-point plan and shuttles between Kyiv and Moscow; also a prospective guarantor under the later versions.',
      actors: [
        { key: 'trump', name: 'Donald Trump', role: 'President' },
        { key: 'witkoff', name: 'Steve Witkoff', role: 'Special envoy' },
        { key: 'kushner', name: 'Jared Kushner', role: 'Negotiator alongside the special envoy' },
        { key: 'rubio', name: 'Marco Rubio', role: 'Secretary of State' },
        { key: 'driscoll', name: 'Dan Driscoll', role: 'Secretary of the Army' },
      ],
    },
    {
      code: 'EU',
      name: 'Europe (E3 and EU)',
      kind: 'bloc',
      color: '#009E73',
      description:
        'The United Kingdom, France and Germany (the E3, authors of the counter-proposal) together with the European Union.',
      actors: [
        { key: 'starmer', name: 'Keir Starmer', role: 'UK Prime Minister' },
        { key: 'macron', name: 'Emmanuel Macron', role: 'President of France' },
        { key: 'merz', name: 'Friedrich Merz', role: 'German Chancellor' },
      ],
    },
    {
      code: 'NATO',
      name: 'NATO',
      kind: 'organization',
      color: '#CC79A7',
      description:
        "The North Atlantic alliance, addressed by the plan's clauses on enlargement, troop stationing and a Russia–NATO dialogue.",
      actors: [{ key: 'rutte', name: 'Mark Rutte', role: 'Secretary General' }],
    },
  ],

  points: [
    { code: 'p01', title: "Ukraine's sovereignty confirmed", category: 'political', description: 'The agreement reaffirms Ukraine as a sovereign state.' },
    { code: 'p02', title: 'Non-aggression pact: Russia, Ukraine and Europe', category: 'security_guarantees', description: 'The three sides commit not to attack one another.' },
    { code: 'p03', title: 'No Russian invasion of neighbours; no further NATO expansion', category: 'security_guarantees', description: 'A pairing of a Russian commitment not to attack its neighbours with a halt to NATO enlargement.' },
    { code: 'p04', title: 'US-mediated Russia–NATO dialogue', category: 'political', description: 'Washington brokers talks between Moscow and the alliance on mutual security concerns.' },
    { code: 'p05', title: 'Reliable security guarantees for Ukraine', category: 'security_guarantees', description: 'Ukraine is promised guarantees against renewed aggression, with the form left to later versions.' },
    { code: 'p06', title: "Cap on Ukraine's armed forces", category: 'military', description: 'A ceiling on the size of the Ukrainian military: 600,000 in the US draft, 800,000 in peacetime in later texts.' },
    { code: 'p07', title: 'Ukraine renounces NATO membership', category: 'political', description: 'Non-membership is written into the Ukrainian constitution and NATO bars Ukraine in its own rules.' },
    { code: 'p08', title: 'No NATO troops stationed in Ukraine', category: 'military', description: 'Alliance forces are not deployed on Ukrainian territory.' },
    { code: 'p09', title: 'European fighter jets based in Poland', category: 'military', description: 'European air power supporting Ukraine is stationed in Poland rather than in Ukraine.' },
    { code: 'p10', title: 'Terms of the US guarantee', category: 'security_guarantees', description: 'Conditions of the US guarantee: compensation to the US, voided by a Ukrainian attack, sanctions back if Russia invades.' },
    { code: 'p11', title: 'EU membership eligibility and market access', category: 'political', description: 'Ukraine may join the EU and gets preferential access to the European market in the meantime.' },
    { code: 'p12', title: 'Global reconstruction package', category: 'economy', description: "An international package to finance Ukraine's rebuilding." },
    { code: 'p13', title: 'Russia reintegrated: staged sanctions relief, G8 return', category: 'sanctions', description: 'Sanctions on Russia are lifted step by step and it rejoins the world economy and the G8.' },
    { code: 'p14', title: 'Use of frozen Russian assets', category: 'sanctions', description: 'What happens to immobilised Russian state assets and how they feed reconstruction funding.' },
    { code: 'p15', title: 'US–Russia working group on compliance', category: 'security_guarantees', description: 'A joint security group monitors whether the agreement is respected.' },
    { code: 'p16', title: 'Russia legislates non-aggression', category: 'legal', description: 'Russia enshrines in law a policy of not attacking Europe and Ukraine.' },
    { code: 'p17', title: 'Extension of nuclear arms-control treaties', category: 'military', description: 'Washington and Moscow prolong their nuclear arms-control arrangements.' },
    { code: 'p18', title: 'Ukraine stays non-nuclear under the NPT', category: 'military', description: 'Ukraine confirms its non-nuclear-weapon status.' },
    { code: 'p19', title: 'Zaporizhzhia nuclear plant', category: 'economy', description: 'Restart, control and sharing of the output of the Zaporizhzhia nuclear power plant.' },
    { code: 'p20', title: 'Tolerance education and minority protection', category: 'humanitarian', description: 'Education for tolerance and protection of linguistic and religious minorities, including the status of Russian.' },
    { code: 'p21', title: 'Territorial arrangements and the line of contact', category: 'territory', description: 'The status of Crimea, Donbas, Kherson and Zaporizhzhia and where the dividing line runs.' },
    { code: 'p22', title: 'No change of territorial arrangements by force', category: 'territory', description: 'Both sides renounce force to alter the settled lines.' },
    { code: 'p23', title: 'Dnipro and Black Sea commercial access', category: 'economy', description: "Ukraine's commercial shipping on the Dnipro and grain exports across the Black Sea are protected." },
    { code: 'p24', title: 'All-for-all exchange; return of civilians and children', category: 'humanitarian', description: 'A humanitarian committee handles an all-for-all prisoner exchange and the return of civilians and children.' },
    { code: 'p25', title: 'Elections in Ukraine', category: 'political', description: 'Timing of Ukrainian elections after the agreement: within 100 days in the US draft.' },
    { code: 'p26', title: 'Full amnesty for wartime acts', category: 'legal', description: 'A blanket amnesty covering all parties for acts committed during the war.' },
    { code: 'p27', title: 'Legally binding deal overseen by a Peace Council', category: 'legal', description: 'The agreement binds the parties and is supervised by a council chaired by the US president.' },
    { code: 'p28', title: 'Ceasefire once all agree and forces pull back', category: 'military', description: 'Fighting stops when every party signs and troops withdraw to agreed positions.' },
    {
      code: 'p29',
      title: 'Article-5-like guarantees from US, NATO and European signatories',
      category: 'security_guarantees',
      description:
        'Guarantees modelled on NATO’s mutual-defence clause, given by Washington, the alliance and European states, with sanctions snapping back if Russia attacks again.',
      derivedFrom: [
        { code: 'p05', kind: 'split' },
        { code: 'p10', kind: 'split' },
      ],
    },
    {
      code: 'p30',
      title: 'Donetsk: free economic zone or demilitarised zone',
      category: 'territory',
      description:
        'What becomes of the part of Donetsk region Ukraine still holds: a free economic zone or a demilitarised zone instead of a Ukrainian withdrawal.',
      derivedFrom: [{ code: 'p21', kind: 'split' }],
    },
    {
      code: 'p31',
      title: 'European-led multinational force for Ukraine',
      category: 'security_guarantees',
      description:
        'A reassurance force led by European states, backed by European leaders at the Berlin talks in December; not part of any published text.',
      derivedFrom: [{ code: 'p05', kind: 'split' }],
    },
  ],

  documents: [
    {
      key: 'us28',
      title: 'US 28-point peace plan (draft)',
      shortTitle: 'US 28-point draft',
      authorPartyCode: 'US',
      publishedAt: '2025-11-20',
      description:
        'The draft Washington handed to Kyiv on 20 November; its text leaked the same day. Widely seen as close to Moscow’s demands on territory, the army and NATO.',
      provisions: provisions(Object.keys(US28).map((code, i) => [code, String(i + 1)] as const)),
    },
    {
      key: 'e3',
      title: 'European (E3) counter-proposal',
      shortTitle: 'E3 counter-proposal',
      authorPartyCode: 'EU',
      publishedAt: '2025-11-23',
      description:
        'The UK, France and Germany’s edit of the 28 points. It deletes the NATO-expansion and amnesty clauses and rewrites the army cap, NATO, guarantees, assets, elections and territory points; the nuclear-plant change rests on a single report. ' +
        'Points the facts do not report as changed are listed here with the US wording and numbering.',
      provisions: provisions([
        ['p01', '1'],
        ['p02', '2'],
        ['p04', '4'],
        ['p05', '5', 'Ukraine receives robust, legally binding security guarantees that mirror NATO’s Article 5.'],
        ['p06', '6', "Ukraine's armed forces are capped at 800,000 personnel in peacetime."],
        ['p07', '7', 'Ukraine’s NATO membership depends on a consensus among allies, which does not exist at present.'],
        ['p08', '8'],
        ['p09', '9'],
        ['p10', '10', 'The US guarantee mirrors Article 5; it lapses if Ukraine attacks Russia, and sanctions return if Russia invades again.'],
        ['p11', '11'],
        ['p12', '12'],
        ['p13', '13'],
        ['p14', '14', 'Frozen Russian assets stay frozen until Russia compensates Ukraine for the damage it caused.'],
        ['p15', '15'],
        ['p16', '16'],
        ['p17', '17'],
        ['p18', '18'],
        ['p19', '19', 'The Zaporizhzhia nuclear plant is returned to Ukraine and restarts under IAEA supervision.'],
        ['p20', '20'],
        ['p21', '21', 'Talks on territory start from the current line of contact.'],
        ['p22', '22'],
        ['p23', '23'],
        ['p24', '24'],
        ['p25', '25', 'Ukraine holds elections as soon as possible.'],
        ['p27', '27'],
        ['p28', '28'],
      ]),
    },
    {
      key: 'geneva',
      title: 'Geneva framework (US–Ukraine)',
      shortTitle: 'Geneva framework',
      authorPartyCode: 'US',
      publishedAt: '2025-11-24',
      description:
        'A text of about 19 points after the US–Ukraine talks in Geneva on 23–24 November; recorded under the US as the drafting side, though it is a joint US–Ukraine text. ' +
        'Only what reporting disclosed is listed, under the numbers of the US points it rewrites (the framework’s own numbering is not known): guarantees strengthened, NATO and territory left open. ' +
        'The army cap was reportedly dropped and the amnesty removed.',
      provisions: provisions([
        ['p05', '5', 'Ukraine receives strengthened security guarantees.'],
        ['p07', '7', '[open] The NATO membership question is left for the presidents to settle.'],
        ['p10', '10', 'The terms of the US guarantee are strengthened.'],
        ['p21', '21', '[open] Territorial arrangements are bracketed.'],
      ]),
    },
    {
      key: 'p20',
      title: '20-point peace framework',
      shortTitle: '20-point framework',
      authorPartyCode: 'UA',
      publishedAt: '2025-12-24',
      description:
        'The framework Zelensky published on 24 December after talks in Miami and Berlin. It replaces NATO renunciation with Article-5-like guarantees, sets the army at 800,000 in peacetime and leaves Donetsk and the nuclear plant unresolved. ' +
        'Only what reporting disclosed is listed, under the numbers of the US points it rewrites (the framework’s own numbering is not known).',
      provisions: provisions([
        ['p06', '6', "Ukraine's armed forces number 800,000 in peacetime."],
        ['p29', '5/10', 'The US, NATO and European signatories give Ukraine guarantees like NATO’s Article 5, and sanctions snap back if Russia attacks again.'],
        ['p14', '14', "Reconstruction funds of up to $800bn for Ukraine's recovery."],
        ['p19', '19', '[open] The Zaporizhzhia plant is run either as a trilateral venture or as a US–Ukraine venture; not yet agreed.'],
        ['p21', '21', 'The current line of contact is the line; the status of Donetsk is unresolved.'],
        ['p30', '21a', '[open] The part of Donetsk held by Ukraine becomes a free economic zone or a demilitarised zone; not yet agreed.'],
        ['p25', '25', 'Ukraine holds elections after the agreement is signed.'],
      ]),
    },
  ],

  milestones: [
    {
      key: 'm1',
      title: 'US draft handed to Kyiv and leaked',
      kind: 'leak',
      startsAt: '2025-11-20',
      description: 'The US 28-point draft is presented in Kyiv, and its text leaks.',
      partyCodes: ['US', 'UA'],
    },
    {
      key: 'm2',
      title: 'Geneva talks',
      kind: 'meeting',
      startsAt: '2025-11-23',
      endsAt: '2025-11-24',
      description: 'US and Ukrainian delegations rework the draft into a shorter framework.',
      partyCodes: ['US', 'UA'],
    },
    {
      key: 'm3',
      title: 'Abu Dhabi contacts',
      kind: 'meeting',
      startsAt: '2025-11-24',
      endsAt: '2025-11-25',
      description: 'Contacts in Abu Dhabi (the reporting used here names no participants).',
      partyCodes: [],
    },
    {
      key: 'm4',
      title: 'Original US deadline (Thanksgiving)',
      kind: 'deadline',
      startsAt: '2025-11-27',
      description: 'The date by which Washington first wanted Kyiv’s answer; the US let it lapse after Geneva.',
      partyCodes: ['US', 'UA'],
    },
    {
      key: 'm5',
      title: 'Florida talks',
      kind: 'meeting',
      startsAt: '2025-11-30',
      description: 'Talks in Florida on the plan (the reporting used here names no participants).',
      partyCodes: [],
    },
    {
      key: 'm6',
      title: 'Moscow talks: Putin meets Witkoff and Kushner',
      kind: 'meeting',
      startsAt: '2025-12-02',
      description: 'About five hours of talks in Moscow end without a consensus, notably on territory.',
      partyCodes: ['RU', 'US'],
    },
    {
      key: 'm7',
      title: 'NATO foreign ministers meet in Brussels',
      kind: 'meeting',
      startsAt: '2025-12-03',
      description: 'Allies review the state of the talks; the secretary general warns of a long confrontation with Russia.',
      partyCodes: ['NATO'],
    },
    {
      key: 'm8',
      title: 'Miami talks',
      kind: 'meeting',
      startsAt: '2025-12-04',
      endsAt: '2025-12-06',
      description: 'After the Brussels meeting, Zelensky said his delegation was preparing to meet the United States.',
      partyCodes: ['US', 'UA'],
    },
    {
      key: 'm9',
      title: 'London meeting of Zelensky, Starmer, Macron and Merz',
      kind: 'meeting',
      startsAt: '2025-12-08',
      description: 'Zelensky meets Starmer, Macron and Merz in London.',
      partyCodes: ['UA', 'EU'],
    },
    {
      key: 'm10',
      title: 'Berlin talks',
      kind: 'meeting',
      startsAt: '2025-12-14',
      endsAt: '2025-12-15',
      description: 'The US offers Article-5-like guarantees; European leaders back a European-led multinational force for Ukraine.',
      partyCodes: ['US', 'UA', 'EU'],
    },
    {
      key: 'm11',
      title: 'EU summit',
      kind: 'meeting',
      startsAt: '2025-12-18',
      endsAt: '2025-12-19',
      description: 'EU leaders agree a €90bn loan for Ukraine and keep Russian assets frozen.',
      partyCodes: ['EU', 'UA'],
    },
    {
      key: 'm12',
      title: 'Miami talks',
      kind: 'meeting',
      startsAt: '2025-12-19',
      endsAt: '2025-12-21',
      description: 'Further talks in Miami, ahead of the 20-point framework.',
      partyCodes: ['US', 'UA'],
    },
    {
      key: 'm13',
      title: '20-point framework made public',
      kind: 'publication',
      startsAt: '2025-12-24',
      description: 'Zelensky publishes the 20-point framework after the talks in Miami and Berlin.',
      partyCodes: ['UA'],
    },
    {
      key: 'm14',
      title: 'Trump–Zelensky meeting at Mar-a-Lago',
      kind: 'meeting',
      startsAt: '2025-12-28',
      description: 'Both leaders say most of the framework is agreed; Donbas remains open.',
      partyCodes: ['US', 'UA'],
    },
  ],

  stances: [...NOVEMBER, ...DECEMBER],

  retractions: DECEMBER_RETRACTIONS,
  // The seed article's text, as the archived copy of its source (BBC News Brasil).
  archives: [{ source: SEED, text: SEED_ARTICLE_TEXT }],
};
