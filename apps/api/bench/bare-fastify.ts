/** Baseline: a Fastify endpoint that parses the same JSON body and does no database work. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/stances', async (request, reply) => {
  const body = request.body as { partyId?: string };
  return reply.status(201).send({ ok: true, partyId: body.partyId ?? null });
});
void app.listen({ port: Number(process.env['PORT']), host: '127.0.0.1' }).then(() => process.send?.({ type: 'listening' }));
