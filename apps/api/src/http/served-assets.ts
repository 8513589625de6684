import type { FastifyCompressOptions } from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { constants } from 'node:zlib';

/** Vite's folder of content-hashed files: a name there never changes content. */
const HASHED = /(^|[\\/])assets[\\/]/;

type StaticOptions = Parameters<NestFastifyApplication['useStaticAssets']>[0];

/**
 * Answers of 1 KB and more are compressed when the client accepts it: Brotli at quality 4 (about
 * gzip's speed, smaller), else gzip. Formats already compressed (PDF, XLSX, images) are left as they
 * are (@fastify/compress asks mime-db what is compressible).
 */
export const COMPRESSION: FastifyCompressOptions = {
  global: true,
  threshold: 1024,
  encodings: ['br', 'gzip'],
  brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
  zlibOptions: { level: 6 },
};

/**
 * The built dashboard: the `.br`/`.gz` copies the build wrote are sent as they are; hashed files are
 * cached for a year as `immutable`, everything else (index.html) is revalidated on every load, so a
 * new build is seen at once. Source maps are not served unless SERVE_SOURCE_MAPS=true (they give
 * the whole source away).
 */
export function dashboardAssets(root: string, serveSourceMaps: boolean): StaticOptions {
  return {
    root,
    prefix: '/',
    // Files are looked up per request, so a rebuilt dashboard is served without a restart.
    wildcard: true,
    index: ['index.html'],
    preCompressed: true,
    cacheControl: false,
    allowedPath: (pathName: string) => serveSourceMaps || !pathName.endsWith('.map'),
    // @fastify/static 10 hands setHeaders the reply itself (Nest's type still describes an older response object).
    setHeaders: (reply, file) => {
      void (reply as unknown as FastifyReply).header('cache-control', HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  };
}

/**
 * Whether a GET that found nothing is a page of the dashboard (answered with index.html, the app
 * then reads its URL) rather than a file: a path whose last segment has no extension. A missing
 * file (an old build's script, a refused source map) is a plain 404, never HTML in its place.
 */
export function isDashboardPage(url: string): boolean {
  const pathname = url.split('?')[0] ?? '';
  return !pathname.startsWith('/api') && !/\.[A-Za-z0-9]+$/.test(pathname);
}
