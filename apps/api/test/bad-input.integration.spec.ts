import type { ArgumentsHost } from '@nestjs/common';
import { LONE_SURROGATE_MESSAGE } from '@parley/contracts';
import { ErrorFilter } from '../src/http/error.filter';
import { DRIVER, fingerprint, seed, stance, startApp, type Seeded, type TestApp } from './harness';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
/** A document of the seeded negotiation (made before the cases run). */
let documentId = '';

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: (s: Seeded) => string;
  body?: (s: Seeded) => unknown;
  headers?: Record<string, string>;
  status: number;
  /** The field the error must name (in details), or a fragment of the message. */
  field?: string;
  message?: string;
  /** The exact message details must give this field (the field itself is also checked). */
  says?: string;
}

const n = (s: Seeded) => `/api/negotiations/${s.negotiationId}`;
const st = (s: Seeded, extra: Record<string, unknown> = {}) => stance(s.parties[0].id, s.points[0].id, extra);
const correction = (s: Seeded): Record<string, unknown> => ({ position: 'reject', confidence: 'official', effectiveAt: '2025-11-21', source: {}, reason: 'misquoted', expectedVersion: 1, partyId: s.parties[0].id });

const NUL = 'must not contain NUL characters';
const LONE = LONE_SURROGATE_MESSAGE;
const csv = { 'content-type': 'text/csv' };

const CASES: Case[] = [
  { name: 'negotiation without a title', method: 'POST', path: () => '/api/negotiations', body: () => ({}), status: 400, field: 'title' },
  { name: 'negotiation with an empty title', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: '   ' }), status: 400, field: 'title' },
  { name: 'negotiation title too long', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: 'x'.repeat(201) }), status: 400, field: 'title' },
  { name: 'unknown field', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: 'ok', owner: 'me' }), status: 400, field: 'owner' },
  { name: 'status off the list', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: 'ok', status: 'done' }), status: 400, field: 'status' },
  { name: 'slug with spaces', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: 'ok', slug: 'bad slug!' }), status: 400, field: 'slug' },
  { name: 'malformed JSON', method: 'POST', path: () => '/api/negotiations', body: () => '{"title":', status: 400, message: 'not valid JSON' },
  // Keys that could alter object prototypes: refused, saying so (Fastify's own parser calls them "not valid JSON").
  { name: '__proto__ key', method: 'POST', path: () => '/api/negotiations', body: () => '{"title":"x","__proto__":{"isAdmin":true}}', status: 400, field: '__proto__', message: 'Body contains a forbidden key "__proto__"' },
  { name: '__proto__ key spelled with escapes', method: 'POST', path: () => '/api/negotiations', body: () => '{"title":"x","\\u005f_proto__":{}}', status: 400, field: '__proto__', message: 'forbidden key "__proto__"' },
  { name: 'constructor.prototype in a batch item', method: 'POST', path: (s) => `${n(s)}/stances/batch`, body: (s) => `{"events":[${JSON.stringify(st(s)).slice(0, -1)},"constructor":{"prototype":{"x":1}}}]}`, status: 400, field: 'events.0.constructor.prototype', message: 'Body contains a forbidden key "constructor.prototype"' },
  { name: 'a constructor key that is only a string', method: 'POST', path: () => '/api/negotiations', body: () => '{"title":"x","constructor":"y"}', status: 400, field: 'constructor', says: 'is not an allowed field' },
  { name: 'JSON array instead of object', method: 'POST', path: () => '/api/negotiations', body: () => [], status: 400, field: 'body' },
  { name: 'text/plain body', method: 'POST', path: () => '/api/negotiations', body: () => 'title=x', headers: { 'content-type': 'text/plain' }, status: 415, message: 'application/json' },
  { name: 'form-encoded body', method: 'POST', path: (s) => `${n(s)}/stances`, body: () => 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, message: 'application/json' },
  { name: 'negative expectedVersion', method: 'PATCH', path: n, body: () => ({ title: 'x', expectedVersion: -1 }), status: 400, field: 'expectedVersion' },
  { name: 'patch of an unknown negotiation', method: 'PATCH', path: () => '/api/negotiations/no-such-slug', body: () => ({ title: 'x' }), status: 404, message: "'no-such-slug' was not found" },
  { name: 'duplicate party code', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'AA', name: 'Again' }), status: 409, message: "code 'AA'" },
  { name: 'party colour not hex', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'X1', name: 'X', color: 'red' }), status: 400, field: 'color' },
  { name: 'party parentId not an id', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'X2', name: 'X', parentId: 'nope' }), status: 400, field: 'parentId' },
  { name: 'party parent unknown', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'X3', name: 'X', parentId: UNKNOWN }), status: 400, field: 'parentId' },
  { name: 'party kind off the list', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'X4', name: 'X', kind: 'empire' }), status: 400, field: 'kind' },
  { name: 'actor without a name', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'X5', name: 'X', actors: [{}] }), status: 400, field: 'actors.0.name' },
  { name: 'point category off the list', method: 'POST', path: (s) => `${n(s)}/points`, body: () => ({ title: 't', category: 'weather' }), status: 400, field: 'category' },
  { name: 'point derived from an unknown point', method: 'POST', path: (s) => `${n(s)}/points`, body: () => ({ title: 't', category: 'legal', derivedFrom: [{ pointId: UNKNOWN, kind: 'split' }] }), status: 400, field: 'derivedFrom.0.pointId' },
  { name: 'point description too long', method: 'POST', path: (s) => `${n(s)}/points`, body: () => ({ title: 't', category: 'legal', description: 'x'.repeat(20_001) }), status: 400, field: 'description' },
  { name: 'document date impossible', method: 'POST', path: (s) => `${n(s)}/documents`, body: () => ({ title: 'd', publishedAt: '2025-02-30' }), status: 400, field: 'publishedAt' },
  { name: 'document lists a point twice', method: 'POST', path: (s) => `${n(s)}/documents`, body: (s) => ({ title: 'd', publishedAt: '2025-11-20', provisions: [{ pointId: s.points[0].id, number: '1', text: 'a' }, { pointId: s.points[0].id, number: '2', text: 'b' }] }), status: 400, field: 'provisions.1.pointId' },
  { name: 'document source is not http(s)', method: 'POST', path: (s) => `${n(s)}/documents`, body: () => ({ title: 'd', publishedAt: '2025-11-20', sourceUrl: 'javascript:alert(1)' }), status: 400, field: 'sourceUrl' },
  { name: 'document based on an unknown document', method: 'POST', path: (s) => `${n(s)}/documents`, body: () => ({ title: 'd', publishedAt: '2025-11-20', basedOn: UNKNOWN }), status: 400, field: 'basedOn' },
  { name: 'provisions edit of a point twice', method: 'PATCH', path: (s) => `${n(s)}/documents/${documentId}/provisions`, body: (s) => ({ set: [{ pointId: s.points[0].id, number: '7', text: 'a' }, { pointId: s.points[0].id, text: 'b' }] }), status: 400, field: 'set.1.pointId' },
  { name: 'provisions edit with NUL', method: 'PATCH', path: (s) => `${n(s)}/documents/${documentId}/provisions`, body: (s) => ({ set: [{ pointId: s.points[0].id, number: '7', text: 'a\u0000b' }] }), status: 400, field: 'set.0.text', says: NUL },
  { name: 'compare without b', method: 'GET', path: (s) => `${n(s)}/documents/compare?a=${UNKNOWN}`, status: 400, field: 'query.b' },
  { name: 'compare unknown documents', method: 'GET', path: (s) => `${n(s)}/documents/compare?a=${UNKNOWN}&b=${UNKNOWN}`, status: 400, field: 'query.a' },
  { name: 'compare: both unknown documents named', method: 'GET', path: (s) => `${n(s)}/documents/compare?a=${UNKNOWN}&b=${UNKNOWN}`, status: 400, field: 'query.b' },
  { name: 'milestone ends before it starts', method: 'POST', path: (s) => `${n(s)}/milestones`, body: () => ({ title: 'm', kind: 'meeting', startsAt: '2025-11-24', endsAt: '2025-11-23' }), status: 400, field: 'endsAt' },
  { name: 'milestone date in words', method: 'POST', path: (s) => `${n(s)}/milestones`, body: () => ({ title: 'm', kind: 'meeting', startsAt: 'yesterday' }), status: 400, field: 'startsAt' },
  { name: 'milestone with an unknown party', method: 'POST', path: (s) => `${n(s)}/milestones`, body: () => ({ title: 'm', kind: 'meeting', startsAt: '2025-11-24', partyIds: [UNKNOWN] }), status: 400, field: 'partyIds.0' },
  { name: 'position off the scale', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { position: 'maybe' }), status: 400, field: 'position' },
  { name: 'effectiveAt without a zone', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { effectiveAt: '2025-11-21T10:00' }), status: 400, field: 'effectiveAt' },
  { name: 'source with only a language', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { source: { language: 'en' } }), status: 400, field: 'source' },
  { name: 'source cited by an unknown id', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { source: { id: '0190a0b0-0000-7000-8000-00000000000f' } }), status: 400, field: 'source.id' },
  { name: 'source with a malformed language tag', method: 'POST', path: (s) => `${n(s)}/sources`, body: () => ({ outlet: 'x', language: 'english' }), status: 400, field: 'language' },
  { name: 'confidence off the list', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { confidence: 'rumour' }), status: 400, field: 'confidence' },
  { name: 'actor of another party', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => stance(s.parties[1].id, s.points[0].id, { actorId: s.parties[0].actors[0].id }), status: 400, field: 'actorId' },
  { name: 'unknown point', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => stance(s.parties[0].id, UNKNOWN), status: 400, field: 'pointId' },
  { name: 'condition on an unknown point', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { position: 'conditional', conditions: { pointIds: [UNKNOWN] } }), status: 400, field: 'conditions.pointIds.0' },
  { name: 'note too long', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { note: 'x'.repeat(20_001) }), status: 400, field: 'note' },
  { name: 'fractional expectedVersion', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { expectedVersion: 1.5 }), status: 400, field: 'expectedVersion' },
  { name: 'Idempotency-Key too long', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s), headers: { 'Idempotency-Key': 'k'.repeat(300) }, status: 400, field: 'header.Idempotency-Key' },
  { name: 'stance in an unknown negotiation', method: 'POST', path: () => `/api/negotiations/${UNKNOWN}/stances`, body: (s) => st(s), status: 404, message: 'was not found' },
  { name: 'empty batch', method: 'POST', path: (s) => `${n(s)}/stances/batch`, body: () => ({ events: [] }), status: 400, field: 'events' },
  { name: 'batch over the limit', method: 'POST', path: (s) => `${n(s)}/stances/batch`, body: (s) => ({ events: Array.from({ length: 1001 }, () => st(s)) }), status: 400, field: 'events' },
  { name: 'batch with one malformed item', method: 'POST', path: (s) => `${n(s)}/stances/batch`, body: (s) => ({ events: [st(s), st(s, { position: 'x' })] }), status: 400, field: 'events.1.position' },
  { name: 'retract an unknown event', method: 'POST', path: () => `/api/stance-events/${UNKNOWN}/retract`, body: () => ({ reason: 'x' }), status: 404, message: 'was not found' },
  { name: 'retract without a reason', method: 'POST', path: () => `/api/stance-events/${UNKNOWN}/retract`, body: () => ({}), status: 400, field: 'reason' },
  { name: 'retract with a negative expectedVersion', method: 'POST', path: () => `/api/stance-events/${UNKNOWN}/retract`, body: () => ({ reason: 'x', expectedVersion: -1 }), status: 400, field: 'expectedVersion' },
  { name: 'correct without expectedVersion', method: 'POST', path: (s) => `${n(s)}/stances/${UNKNOWN}/correct`, body: (s) => ({ ...correction(s), expectedVersion: undefined }), status: 400, field: 'expectedVersion' },
  { name: 'correct without a reason', method: 'POST', path: (s) => `${n(s)}/stances/${UNKNOWN}/correct`, body: (s) => ({ ...correction(s), reason: undefined }), status: 400, field: 'reason' },
  { name: 'correct with a blank reason', method: 'POST', path: (s) => `${n(s)}/stances/${UNKNOWN}/correct`, body: (s) => ({ ...correction(s), reason: '   ' }), status: 400, field: 'reason' },
  { name: 'correct with a position off the scale', method: 'POST', path: (s) => `${n(s)}/stances/${UNKNOWN}/correct`, body: (s) => ({ ...correction(s), position: 'maybe' }), status: 400, field: 'position' },
  { name: 'correct with an unknown field', method: 'POST', path: (s) => `${n(s)}/stances/${UNKNOWN}/correct`, body: (s) => ({ ...correction(s), eventId: UNKNOWN }), status: 400, field: 'eventId' },
  { name: 'correct with a partyId not an id', method: 'POST', path: (s) => `${n(s)}/stances/${UNKNOWN}/correct`, body: (s) => ({ ...correction(s), partyId: 'nope' }), status: 400, field: 'partyId' },
  { name: 'correct an unknown event', method: 'POST', path: (s) => `${n(s)}/stances/${UNKNOWN}/correct`, body: (s) => correction(s), status: 404, message: 'was not found' },
  { name: 'correct an event that is not an id', method: 'POST', path: (s) => `${n(s)}/stances/nope/correct`, body: (s) => correction(s), status: 404, message: 'was not found' },
  { name: 'correct in an unknown negotiation', method: 'POST', path: () => `/api/negotiations/${UNKNOWN}/stances/${UNKNOWN}/correct`, body: (s) => correction(s), status: 404, message: 'was not found' },
  { name: 'requireExpectedVersion not a boolean', method: 'PATCH', path: n, body: () => ({ requireExpectedVersion: 'yes' }), status: 400, field: 'requireExpectedVersion' },
  { name: 'matrix asOf not a date', method: 'GET', path: (s) => `${n(s)}/matrix?asOf=notadate`, status: 400, field: 'query.asOf' },
  { name: 'matrix unknown document', method: 'GET', path: (s) => `${n(s)}/matrix?documentId=${UNKNOWN}`, status: 400, field: 'query.documentId' },
  { name: 'matrix unknown parameter', method: 'GET', path: (s) => `${n(s)}/matrix?foo=1`, status: 400, field: 'query.foo' },
  { name: 'changes negative sinceSeq', method: 'GET', path: (s) => `${n(s)}/changes?sinceSeq=-1`, status: 400, field: 'query.sinceSeq' },
  { name: 'changes limit too large', method: 'GET', path: (s) => `${n(s)}/changes?limit=100000`, status: 400, field: 'query.limit' },
  { name: 'metrics from after to', method: 'GET', path: (s) => `${n(s)}/metrics?from=2025-12-01&to=2025-11-01`, status: 400, field: 'query.from' },
  { name: 'metrics step off the list', method: 'GET', path: (s) => `${n(s)}/metrics?step=decade`, status: 400, field: 'query.step' },
  { name: 'metrics range too long for the step asked', method: 'GET', path: (s) => `${n(s)}/metrics?from=1900-01-01&to=2025-01-01&step=week`, status: 400, field: 'query.step', says: 'dateRange would produce 6524 points at step=week (at most 3660); step=month fits' },
  { name: 'metrics range too long for any step', method: 'GET', path: (s) => `${n(s)}/metrics?from=1000-01-01&to=9999-12-31`, status: 400, field: 'query.step', says: 'the range is too long even by year (9001 points, at most 3660): shorten it with from and to' },
  { name: 'changes effectiveFrom after effectiveTo', method: 'GET', path: (s) => `${n(s)}/changes?effectiveFrom=2025-12-02&effectiveTo=2025-12-01`, status: 400, field: 'query.effectiveFrom', says: 'must not be after effectiveTo (2025-12-01)' },
  { name: 'changes effectiveTo not a date', method: 'GET', path: (s) => `${n(s)}/changes?effectiveTo=yesterday`, status: 400, field: 'query.effectiveTo' },
  { name: 'export since after asOf', method: 'GET', path: (s) => `${n(s)}/export.md?asOf=2025-11-01&since=2025-12-01`, status: 400, field: 'query.since' },
  { name: 'stance effectiveAt years ahead (a typo)', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { effectiveAt: '2999-11-21' }), status: 400, field: 'effectiveAt' },
  { name: 'stance effectiveAt before 1900', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { effectiveAt: '1899-12-31' }), status: 400, field: 'effectiveAt', says: 'must not be before 1900-01-01' },
  { name: 'stance scheduled in the past', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { scheduled: true }), status: 400, field: 'scheduled' },
  { name: 'history of an unknown point', method: 'GET', path: (s) => `${n(s)}/points/${UNKNOWN}/history`, status: 404, message: 'was not found' },

  // Wrong types keep the schema's message; only a key left out "is required".
  { name: 'title left out', method: 'POST', path: () => '/api/negotiations', body: () => ({ description: 'x' }), status: 400, field: 'title', says: 'is required' },
  { name: 'title of the wrong type', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: 123 }), status: 400, field: 'title', says: 'must be a string' },
  { name: 'title null', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: null }), status: 400, field: 'title', says: 'must be a string' },
  { name: 'expectedVersion as a string', method: 'PATCH', path: n, body: () => ({ title: 'x', expectedVersion: '1' }), status: 400, field: 'expectedVersion', says: 'must be an integer' },
  { name: 'stance position left out', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => { const { position: _, ...rest } = st(s); return rest; }, status: 400, field: 'position', says: 'is required' },
  { name: 'stance position a number', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { position: 2 }), status: 400, field: 'position', says: 'must be one of: accept, conditional, amend, unclear, reject, red_line' },
  { name: 'stance partyId a number', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { partyId: 7 }), status: 400, field: 'partyId', says: 'must be an id (UUID)' },
  { name: 'stance source left out', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => { const { source: _, ...rest } = st(s); return rest; }, status: 400, field: 'source', says: 'is required' },
  { name: 'batch item effectiveAt a number', method: 'POST', path: (s) => `${n(s)}/stances/batch`, body: (s) => ({ events: [st(s, { effectiveAt: 20251121 })] }), status: 400, field: 'events.0.effectiveAt', says: 'must be an ISO 8601 date (YYYY-MM-DD) or date-time with a zone' },
  { name: 'actor name left out', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'X6', name: 'X', actors: [{ role: 'r' }] }), status: 400, field: 'actors.0.name', says: 'is required' },
  { name: 'changes sinceSeq not a number', method: 'GET', path: (s) => `${n(s)}/changes?sinceSeq=abc`, status: 400, field: 'query.sinceSeq', says: 'must be an integer' },
  { name: 'changes limit not a number', method: 'GET', path: (s) => `${n(s)}/changes?limit=ten`, status: 400, field: 'query.limit', says: 'must be an integer' },
  { name: 'compare with a left out', method: 'GET', path: (s) => `${n(s)}/documents/compare?b=${UNKNOWN}`, status: 400, field: 'query.a', says: 'is required' },
  { name: 'matrix asOf given twice', method: 'GET', path: (s) => `${n(s)}/matrix?asOf=2025-11-21&asOf=2025-11-22`, status: 400, field: 'query.asOf', says: 'must be given once' },
  { name: 'changes sinceSeq given twice', method: 'GET', path: (s) => `${n(s)}/changes?sinceSeq=1&sinceSeq=2`, status: 400, field: 'query.sinceSeq', says: 'must be given once' },
  { name: 'compare a given twice', method: 'GET', path: (s) => `${n(s)}/documents/compare?a=${UNKNOWN}&a=${UNKNOWN}&b=${UNKNOWN}`, status: 400, field: 'query.a', says: 'must be given once' },

  // NUL cannot be stored by PostgreSQL (SQLSTATE 22021): refused by the schemas, naming the field, on both databases.
  { name: 'negotiation title with NUL', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: 'bad\u0000title' }), status: 400, field: 'title', says: NUL },
  { name: 'negotiation description with NUL', method: 'PATCH', path: n, body: () => ({ description: 'a\u0000b' }), status: 400, field: 'description', says: NUL },
  { name: 'party name with NUL', method: 'PATCH', path: (s) => `${n(s)}/parties/${s.parties[0].id}`, body: () => ({ name: 'bad\u0000name' }), status: 400, field: 'name', says: NUL },
  { name: 'actor role with NUL', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'X7', name: 'X', actors: [{ name: 'A', role: '\u0000' }] }), status: 400, field: 'actors.0.role', says: NUL },
  { name: 'point title with NUL', method: 'POST', path: (s) => `${n(s)}/points`, body: () => ({ title: 't\u0000', category: 'legal' }), status: 400, field: 'title', says: NUL },
  { name: 'provision text with NUL', method: 'POST', path: (s) => `${n(s)}/documents`, body: (s) => ({ title: 'd', publishedAt: '2025-11-20', provisions: [{ pointId: s.points[0].id, number: '1', text: 'a\u0000b' }] }), status: 400, field: 'provisions.0.text', says: NUL },
  { name: 'provision number with NUL', method: 'POST', path: (s) => `${n(s)}/documents`, body: (s) => ({ title: 'd', publishedAt: '2025-11-20', provisions: [{ pointId: s.points[0].id, number: '1\u0000', text: 'a' }] }), status: 400, field: 'provisions.0.number', says: NUL },
  { name: 'document shortTitle with NUL', method: 'POST', path: (s) => `${n(s)}/documents`, body: () => ({ title: 'd', shortTitle: 's\u0000', publishedAt: '2025-11-20' }), status: 400, field: 'shortTitle', says: NUL },
  { name: 'milestone title with NUL', method: 'POST', path: (s) => `${n(s)}/milestones`, body: () => ({ title: 'm\u0000', kind: 'meeting', startsAt: '2025-11-24' }), status: 400, field: 'title', says: NUL },
  { name: 'stance note with NUL', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { note: 'a\u0000b' }), status: 400, field: 'note', says: NUL },
  { name: 'stance quoteLanguage not a language tag', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { quote: 'Нет.', quoteLanguage: 'russian!' }), status: 400, field: 'quoteLanguage', says: 'must be a BCP-47 language tag like en, uk or pt-BR' },
  { name: 'stance quoteLanguage without a quote', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { quoteLanguage: 'ru' }), status: 400, field: 'quoteLanguage', says: 'needs a quote' },
  { name: 'stance translation without a quote', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { translation: 'No.' }), status: 400, field: 'translation', says: 'needs a quote' },
  { name: 'stance translationLanguage without a translation', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { quote: 'Ні.', translationLanguage: 'en' }), status: 400, field: 'translationLanguage', says: 'needs a translation' },
  { name: 'stance translation with NUL', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { quote: 'Ні.', translation: 'N\u0000o' }), status: 400, field: 'translation', says: NUL },
  { name: 'stance quote with NUL', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { quote: '\u0000' }), status: 400, field: 'quote', says: NUL },
  { name: 'stance conditions text with NUL', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { conditions: { text: 'if\u0000' } }), status: 400, field: 'conditions.text', says: NUL },
  { name: 'stance source outlet with NUL', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { source: { outlet: 'Reu\u0000ters' } }), status: 400, field: 'source.outlet', says: NUL },
  { name: 'stance source title with NUL', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { source: { outlet: 'R', title: 'h\u0000' } }), status: 400, field: 'source.title', says: NUL },
  { name: 'stance source url with NUL', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { source: { url: 'https://example.org/a\u0000b' } }), status: 400, field: 'source.url', says: NUL },
  { name: 'batch item note with NUL', method: 'POST', path: (s) => `${n(s)}/stances/batch`, body: (s) => ({ events: [st(s), st(s, { note: '\u0000' })] }), status: 400, field: 'events.1.note', says: NUL },
  { name: 'retraction reason with NUL', method: 'POST', path: () => `/api/stance-events/${UNKNOWN}/retract`, body: () => ({ reason: 'wrong\u0000' }), status: 400, field: 'reason', says: NUL },
  { name: 'user name with NUL', method: 'POST', path: () => '/api/users', body: () => ({ email: 'nul@test.local', name: 'N\u0000', role: 'viewer', password: 'a-long-password' }), status: 400, field: 'name', says: NUL },
  { name: 'API token name with NUL', method: 'POST', path: () => '/api/auth/tokens', body: () => ({ name: 'script\u0000' }), status: 400, field: 'name', says: NUL },
  { name: 'share link label with NUL', method: 'POST', path: (s) => `${n(s)}/share-links`, body: () => ({ label: 'wall\u0000' }), status: 400, field: 'label', says: NUL },
  { name: 'export search with NUL', method: 'GET', path: (s) => `${n(s)}/export.csv?q=a%00b`, status: 400, field: 'query.q', says: NUL },
  { name: 'export parties with NUL', method: 'GET', path: (s) => `${n(s)}/export.md?parties=AA%00`, status: 400, field: 'query.parties', says: NUL },
  { name: 'audit actor with NUL', method: 'GET', path: () => '/api/audit?actor=a%00b', status: 400, field: 'query.actor', says: NUL },
  { name: 'import negotiation with NUL', method: 'POST', path: () => '/api/negotiations/import?negotiation=a%00b&kind=points', body: () => 'code,title,category\np9,T,legal\n', headers: csv, status: 400, field: 'query.negotiation', says: NUL },
  { name: 'CSV point title with NUL', method: 'POST', path: (s) => `/api/negotiations/import?negotiation=${s.slug}&kind=points`, body: () => 'code,title,category\np9,bad\u0000title,legal\n', headers: csv, status: 400, field: 'row 2: title', says: NUL },
  { name: 'CSV stance note with NUL', method: 'POST', path: (s) => `/api/negotiations/import?negotiation=${s.slug}&kind=stances`, body: (s) => `party,point,position,effectiveAt,sourceOutlet,note\nAA,${s.points[0].code},accept,2025-11-21,Reuters,a\u0000b\n`, headers: csv, status: 400, field: 'row 2: note', says: NUL },
  // A lone surrogate (only a \uD800 escape can send one) would be stored as U+FFFD: refused, naming the field.
  { name: 'negotiation title with a lone surrogate', method: 'POST', path: () => '/api/negotiations', body: () => '{"title":"bad\\ud800title"}', status: 400, field: 'title', says: LONE },
  { name: 'stance note with a lone low surrogate', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { note: 'a\udc00b' }), status: 400, field: 'note', says: LONE },
  { name: 'stance source url with a lone surrogate', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { source: { url: 'https://example.org/\ud83d' } }), status: 400, field: 'source.url', says: LONE },
  { name: 'NUL in a negotiation slug of the path', method: 'GET', path: () => '/api/negotiations/bad%00slug', status: 404, message: 'was not found' },
  { name: 'body over the size limit', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { note: 'x'.repeat(600_000) }), status: 413, message: 'larger than the limit of 500000 bytes (BODY_LIMIT_BYTES)' },
];

describe('bad input: a clear 4xx that names the field, and nothing written', () => {
  let t: TestApp;
  let s: Seeded;

  beforeAll(async () => {
    t = await startApp({ BODY_LIMIT_BYTES: '500000' });
    s = await seed(t);
    documentId = (await t.post(`${n(s)}/documents`, { title: 'A document', publishedAt: '2025-11-20' })).body.id;
  });
  afterAll(() => t.close());

  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await fingerprint(t.db);
    const body = c.body?.(s);
    const res = await t.request(c.method, c.path(s), body, c.headers);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: c.status });
    expect(res.body).toMatchObject({ statusCode: c.status, error: expect.any(String), code: expect.any(String), message: expect.any(String) });
    if (c.field) {
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(c.field);
      expect(res.body.message).toContain(c.field);
    }
    if (c.says) expect(res.body.details).toContainEqual({ field: c.field, message: c.says });
    if (c.message) expect(res.body.message).toContain(c.message);
    expect(await fingerprint(t.db)).toEqual(before);
  });
});

describe('database data exceptions: a 400, never a 500', () => {
  let t: TestApp;
  let s: Seeded;

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
  });
  afterAll(() => t.close());

  it('a NUL in a path parameter (not covered by a body or query schema) is a 4xx in the one error shape, and changes nothing', async () => {
    const before = await fingerprint(t.db);
    const paths: [string, string][] = [
      ['GET', '/api/negotiations/bad%00slug'],
      ['GET', `/api/negotiations/${s.negotiationId}/parties/a%00b`],
      ['GET', `/api/negotiations/${s.negotiationId}/points/a%00b/history`],
      ['GET', '/api/stance-events/a%00b'],
      ['POST', '/api/stance-events/a%00b/retract'],
      ['POST', `/api/negotiations/${s.negotiationId}/stances/a%00b/correct`],
      ['DELETE', `/api/negotiations/${s.negotiationId}/share-links/a%00b`],
      ['DELETE', '/api/auth/tokens/a%00b'],
      ['GET', '/api/users/a%00b'],
    ];
    for (const [method, p] of paths) {
      const res = await t.request(method, p, method === 'POST' ? { reason: 'r' } : undefined);
      expect({ method, p, clientError: res.status === 400 || res.status === 404 }).toEqual({ method, p, clientError: true });
      expect(res.body).toMatchObject({ statusCode: res.status, error: expect.any(String), code: expect.any(String), message: expect.any(String) });
    }
    expect(await fingerprint(t.db)).toEqual(before);
  });

  // PostgreSQL only: SQLite stores NUL and has no SQLSTATE. The errors are the driver's own.
  (DRIVER === 'postgres' ? it : it.skip)('maps real PostgreSQL SQLSTATE class 22 errors to a 400 that says what was wrong', async () => {
    const cases: [string, unknown[], string, string][] = [
      ['SELECT $1::text AS v', ['a\u0000b'], '22021', 'cannot store (NUL)'],
      ['SELECT $1::smallint AS v', [70000], '22003', 'number is out of the range'],
      ['SELECT $1::integer AS v', ['ten'], '22P02', 'not one the database can store'],
    ];
    for (const [query, params, sqlstate, says] of cases) {
      const error = await t.db.read.query(query, params).then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as { driverError?: { code?: string } }).driverError?.code).toBe(sqlstate);
      const sent: { status?: number; body?: Record<string, unknown> } = {};
      const reply = {
        status(code: number) {
          sent.status = code;
          return reply;
        },
        header() {
          return reply;
        },
        send(body: Record<string, unknown>) {
          sent.body = body;
          return reply;
        },
      };
      const request = { id: 'req-1', method: 'POST', url: '/api/negotiations' };
      const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }) } as unknown as ArgumentsHost;
      new ErrorFilter('/nonexistent', 1000).catch(error, host);
      expect(sent.status).toBe(400);
      expect(sent.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED', requestId: 'req-1' });
      expect(sent.body?.['message']).toContain(`SQLSTATE ${sqlstate}`);
      expect(sent.body?.['message']).toContain(says);
    }
  });
});
