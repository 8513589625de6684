import type { z } from 'zod';
import {
  ApiTokenCreate,
  AuditQuery,
  DocumentCreate,
  DUMP_FORMAT,
  DUMP_VERSION,
  ExportQuery,
  ImportQuery,
  MilestoneCreate,
  NegotiationCreate,
  NegotiationDump,
  NegotiationPatch,
  NO_NUL_MESSAGE,
  ProposalDecisionInput,
  ProposalEdit,
  ProposalQuery,
  PartyCreate,
  PointCreate,
  RetractInput,
  StanceCorrect,
  ShareLinkCreate,
  StanceCreate,
  UserCreate,
} from '../index';

const ID = ['7c9e6679-7425-40de-944b-e07fc1f90ae7', '16fd2706-8baf-433b-82eb-8c7fada847da', '2f1a3b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b'];
const AT = '2025-11-21T10:00:00.000Z';

/** A valid value of each input schema with every optional text field filled in. */
const SAMPLES: [string, z.ZodType, unknown][] = [
  ['NegotiationCreate', NegotiationCreate, { title: 'T', slug: 'slug', description: 'D', status: 'active' }],
  ['NegotiationPatch', NegotiationPatch, { title: 'T', description: 'D' }],
  ['PartyCreate', PartyCreate, { code: 'RU', name: 'Russia', color: '#112233', description: 'D', actors: [{ name: 'Putin', role: 'President' }] }],
  ['PointCreate', PointCreate, { code: 'p1', title: 'T', category: 'legal', description: 'D' }],
  [
    'DocumentCreate',
    DocumentCreate,
    { title: 'T', shortTitle: 'S', publishedAt: '2025-11-20', description: 'D', sourceUrl: 'https://example.org/d', provisions: [{ pointId: ID[0], number: '1', text: 'X' }] },
  ],
  ['MilestoneCreate', MilestoneCreate, { title: 'T', kind: 'meeting', startsAt: '2025-11-20', description: 'D', sourceUrl: 'https://example.org/m' }],
  [
    'StanceCreate',
    StanceCreate,
    {
      partyId: ID[0],
      pointId: ID[1],
      position: 'conditional',
      confidence: 'reported',
      effectiveAt: '2025-11-21',
      source: { url: 'https://example.org/s', outlet: 'Reuters', title: 'Headline', publishedAt: '2025-11-21' },
      conditions: { text: 'if', pointIds: [ID[2]] },
      note: 'N',
      quote: 'Q',
    },
  ],
  ['RetractInput', RetractInput, { reason: 'R' }],
  [
    'StanceCorrect',
    StanceCorrect,
    { position: 'reject', confidence: 'reported', effectiveAt: '2025-11-21', source: { outlet: 'Reuters', title: 'Headline' }, note: 'N', quote: 'Q', reason: 'R', expectedVersion: 1 },
  ],
  ['ProposalQuery', ProposalQuery, { status: 'open', author: 'someone@example.org' }],
  ['ProposalDecisionInput', ProposalDecisionInput, { decision: 'reject', note: 'No source' }],
  ['ProposalEdit (reason)', ProposalEdit, { reason: 'R' }],
  ['NegotiationPatch (review)', NegotiationPatch, { title: 'T', reviewPolicy: 'required' }],
  ['ExportQuery', ExportQuery, { parties: 'RU,UA', q: 'words' }],
  ['ImportQuery', ImportQuery, { negotiation: 'slug', kind: 'points' }],
  ['AuditQuery', AuditQuery, { actor: 'someone@example.org' }],
  ['UserCreate', UserCreate, { email: 'a@example.org', name: 'Name', role: 'viewer', password: 'long-enough-1' }],
  ['ApiTokenCreate', ApiTokenCreate, { name: 'script' }],
  ['ShareLinkCreate', ShareLinkCreate, { label: 'wall' }],
  [
    'NegotiationDump',
    NegotiationDump,
    {
      format: DUMP_FORMAT,
      version: DUMP_VERSION,
      negotiation: { id: ID[0], slug: 'n', title: 'T', description: 'D', status: 'active', seq: 2, version: 1, createdAt: AT, updatedAt: AT },
      parties: [
        {
          id: ID[1], code: 'RU', name: 'Russia', kind: 'state', color: '#112233', parentId: null, description: 'D', sortOrder: 0, version: 1, createdAt: AT, updatedAt: AT,
          actors: [{ id: ID[2], name: 'Putin', role: 'President', sortOrder: 0, retiredAt: null }],
        },
      ],
      points: [{ id: ID[2], code: 'p1', title: 'T', category: 'legal', description: 'D', sortOrder: 0, version: 1, createdAt: AT, updatedAt: AT, derivedFrom: [] }],
      documents: [
        {
          id: ID[0], title: 'T', shortTitle: 'S', authorPartyId: null, publishedAt: AT, publishedPrecision: 'day', description: 'D', sourceUrl: 'https://example.org/d',
          version: 1, createdAt: AT, updatedAt: AT, provisions: [{ pointId: ID[2], number: '1', text: 'X', sortOrder: 0 }],
        },
      ],
      milestones: [
        {
          id: ID[0], title: 'T', kind: 'meeting', startsAt: AT, startsPrecision: 'day', endsAt: null, description: 'D', sourceUrl: null, partyIds: [], version: 1, createdAt: AT, updatedAt: AT,
        },
      ],
      stanceEvents: [
        {
          id: ID[0], seq: 1, partyId: ID[1], pointId: ID[2], position: 'accept', confidence: 'official', effectiveAt: AT, effectivePrecision: 'day', recordedAt: AT, recordedBy: 'me',
          conditions: { text: 'if', pointIds: [] }, note: 'N', quote: 'Q', actorId: null,
          source: { url: 'https://example.org/s', outlet: 'Reuters', title: 'H', publishedAt: null }, documentId: null, milestoneId: null,
        },
      ],
      retractions: [{ id: ID[1], eventId: ID[0], seq: 2, reason: 'R', recordedAt: AT, recordedBy: 'me' }],
      changes: [],
    },
  ],
];

/** Every path to a string in a value, e.g. ['provisions', 0, 'text']. */
function stringPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...at, k]));
  return [];
}

function withNul(value: unknown, path: (string | number)[]): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const text = parent[last] as string;
  // In the middle, where no other rule (trimming, a pattern's anchors) would already catch it.
  parent[last] = `${text.slice(0, 1)}\u0000${text.slice(1)}`;
  return copy;
}

describe('no input text can carry a NUL character (PostgreSQL cannot store it)', () => {
  it.each(SAMPLES)('%s: the sample is valid as it is', (_name, schema, sample) => {
    expect(schema.safeParse(sample).error?.issues).toBeUndefined();
  });

  // A password is only ever hashed, never stored or looked up as text: any character may be in it.
  const cases = SAMPLES.flatMap(([name, schema, sample]) =>
    stringPaths(sample)
      .filter((path) => path.at(-1) !== 'password')
      .map((path) => [`${name}.${path.join('.')}`, schema, sample, path] as const),
  );

  it.each(cases)('%s with a NUL is refused at that field', (_name, schema, sample, path) => {
    const result = schema.safeParse(withNul(sample, path));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path.join('.'));
  });

  it('says why for free text', () => {
    const result = StanceCreate.safeParse(withNul(SAMPLES[6][2], ['source', 'outlet']));
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['source', 'outlet'], message: NO_NUL_MESSAGE })]);
  });
});
