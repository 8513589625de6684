import type {
  Confidence,
  LineageKind,
  MilestoneKind,
  NegotiationStatus,
  PartyKind,
  PointCategory,
  Position,
  SourceKind,
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
    source: DemoSource;
    /**
     * When Parley learnt it (ISO date-time with zone): after `effectiveAt` by a plausible delay, so
     * "known at" differs from "as of" on the demo. The loader records the stances and retractions in
     * this order, so their sequence numbers follow it.
     */
    recordedAt: string;
    conditions?: { text?: string; pointCodes?: string[] };
    note?: string;
    quote?: string;
    document?: string;
    milestone?: string;
  }[];
  /** Corrections: each retracts the stance with that key, at its own `recordedAt` (after that stance's). */
  retractions: { stanceKey: string; reason: string; recordedAt: string }[];
  /** Archived copies (pasted text) of sources the stances cite, attached after them: each names its source as a stance cites it. */
  archives?: { source: DemoSource; text: string }[];
}


/**
 * A source as a record: the fields of the negotiation's sources. A publication has its outlet and
 * headline; a fact known only from paraphrased public reporting has neither, and no URL, but a
 * `description` saying what it is (speaker and venue, e.g. "Vladimir Putin, Bishkek").
 */
export interface DemoSource {
  /** What kind of thing it is: the kinds of the negotiation's source records. */
  kind: SourceKind;
  outlet?: string;
  /** The headline, exactly as published. */
  title?: string;
  url?: string;
  /** YYYY-MM-DD */
  publishedAt?: string;
  /** BCP 47 language tag of the text Parley holds. */
  language?: string;
  /** What the source is when it has no headline: speaker and venue. */
  description?: string;
}
