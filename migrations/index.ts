import { InitialSchema1764547200000 } from './1764547200000-initial-schema';
import { AccountsAndAudit1764633600000 } from './1764633600000-accounts-and-audit';
import { EventCellIndex1764806400000 } from './1764806400000-event-cell-index';
import { LoginFailures1764892800000 } from './1764892800000-login-failures';
import { Sources1765065600000 } from './1765065600000-sources';
import { QuoteTranslation1765152000000 } from './1765152000000-quote-translation';
import { Search1765242000000 } from './1765242000000-search';
import { SourceArchives1765324800000 } from './1765324800000-source-archives';
import { SearchArchives1765411200000 } from './1765411200000-search-archives';
import { SearchStoredVector1765540800000 } from './1765540800000-search-stored-vector';
import { Review1765584000000 } from './1765584000000-review';
import { RequireExpectedVersion1765600000000 } from './1765600000000-require-expected-version';

/** Every migration, oldest first. Listed explicitly so source (tests) and build (dist) load the same set. */
export const MIGRATIONS = [
  InitialSchema1764547200000,
  AccountsAndAudit1764633600000,
  EventCellIndex1764806400000,
  LoginFailures1764892800000,
  Sources1765065600000,
  QuoteTranslation1765152000000,
  Search1765242000000,
  SourceArchives1765324800000,
  SearchArchives1765411200000,
  SearchStoredVector1765540800000,
  Review1765584000000,
  RequireExpectedVersion1765600000000,
];
