import type { OpenAPIObject } from '@nestjs/swagger';

const PATH_REFS: Record<string, string> = {
  negotiationId: 'id or slug of the negotiation',
  id: 'id or slug of the negotiation',
  partyId: 'id or code of the party',
  pointId: 'id or code of the point',
  documentId: 'id or code of the document',
};

/** Says in OpenAPI what the RefsGuard accepts: path parameters naming a negotiation, party, point or document take an id or a code. */
export function describeRefParams(doc: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/negotiations/')) continue;
    for (const operation of Object.values(item) as { parameters?: { name: string; in: string; description?: string }[] }[]) {
      for (const p of operation?.parameters ?? []) {
        if (p.in === 'path' && PATH_REFS[p.name] && (p.name !== 'id' || path.startsWith('/api/negotiations/{id}'))) p.description = PATH_REFS[p.name];
      }
    }
  }
  return doc;
}
