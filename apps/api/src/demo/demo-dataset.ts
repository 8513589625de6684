import type {
  Confidence,
  LineageKind,
  MilestoneKind,
  NegotiationStatus,
  PartyKind,
  PointCategory,
  Position,
} from '@parley/contracts';

/**
 * A negotiation written by hand with human keys instead of ids. The loader resolves the keys
 * and records everything through the same services as the API, so the demo obeys every rule.
 */
export interface DemoDataset {
  negotiation: { slug: string; title: string; description: string; status: NegotiationStatus };
  parties: {
    code: string;
    name: string;
    kind: PartyKind;
    color: string;
    parentCode?: string;
    description: string;
    actors: { key: string; name: string; role: string }[];
  }[];
  points: {
    code: string;
    title: string;
    category: PointCategory;
    description: string;
    derivedFrom?: { code: string; kind: LineageKind }[];
  }[];
  documents: {
    key: string;
    title: string;
    shortTitle: string;
    authorPartyCode?: string;
    /** YYYY-MM-DD */
    publishedAt: string;
    description: string;
    sourceUrl?: string;
    provisions: { pointCode: string; number: string; text: string }[];
  }[];
  milestones: {
    key: string;
    title: string;
    kind: MilestoneKind;
    startsAt: string;
    endsAt?: string;
    description: string;
    partyCodes: string[];
  }[];
  stances: {
    /** Optional handle so a retraction can point at this stance. */
    key?: string;
    party: string;
    point: string;
    position: Position;
    confidence: Confidence;
    /** YYYY-MM-DD or ISO date-time with zone */
    effectiveAt: string;
    actor?: string;
    source: { outlet: string; url?: string; title?: string; publishedAt?: string };
    conditions?: { text?: string; pointCodes?: string[] };
    note?: string;
    quote?: string;
    document?: string;
    milestone?: string;
  }[];
  /** Corrections recorded after the stances: each retracts the stance with that key. */
  retractions: { stanceKey: string; reason: string }[];
}
