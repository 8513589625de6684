import { Injectable } from '@nestjs/common';
import { SEARCH_KINDS, type SearchHit, type SearchQuery, type SearchResult } from '@parley/contracts';
import { Db } from '../database/db.service';
import { searchCandidates } from '../database/search-sql';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { rank } from './rank';
import { parseSearch } from './search-query';
import { proposalFields, proposalHit, waitingProposals } from './proposal-search';
import { SEARCHED } from './search-kinds';

/** Candidates per kind the database hands to the ranking (its newest matches). */
export const CANDIDATES = 500;
const DEFAULT_LIMIT = 20;

interface Found {
  hit: SearchHit;
  time: number;
  order: number;
  id: string;
}

@Injectable()
export class SearchService {
  constructor(
    private readonly db: Db,
    private readonly negotiations: NegotiationsService,
  ) {}

  /** `staff` (an analyst or an admin): proposals waiting for a decision are searched too; never for anyone else. */
  async search(negotiation: string, query: SearchQuery, staff = false): Promise<SearchResult> {
    const clauses = parseSearch(query.q);
    const negotiationId = await this.negotiations.resolveId(negotiation);
    const kinds = query.kinds ? SEARCH_KINDS.filter((k) => query.kinds?.includes(k)) : SEARCH_KINDS;
    const found: Found[] = [];
    let truncated = false;
    for (const kind of kinds) {
      if (kind === 'proposal') {
        if (!staff) continue;
        const rows = await waitingProposals(this.db.read, negotiationId, CANDIDATES);
        if (rows.length === CANDIDATES) truncated = true;
        for (const row of rows) {
          const ranked = rank(proposalFields(row), clauses);
          if (ranked) found.push({ hit: proposalHit(row, ranked), time: Number(row.created_at), order: SEARCH_KINDS.indexOf(kind), id: row.id });
        }
        continue;
      }
      const searched = SEARCHED[kind];
      const limit = searched.candidates ?? CANDIDATES;
      const rows = await searchCandidates<Record<string, unknown>>(this.db.read, searched.index, negotiationId, clauses, limit);
      if (rows.length === limit) truncated = true;
      for (const row of rows) {
        const ranked = rank(searched.fields(row), clauses);
        if (ranked) found.push({ hit: searched.hit(row, ranked), time: searched.time(row), order: SEARCH_KINDS.indexOf(kind), id: searched.id(row) });
      }
    }
    found.sort((a, b) => b.hit.score - a.hit.score || b.time - a.time || a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { q: query.q, hits: found.slice(0, query.limit ?? DEFAULT_LIMIT).map((f) => f.hit), total: found.length, truncated };
  }
}
