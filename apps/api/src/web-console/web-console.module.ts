import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { type DynamicModule } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { type Response } from 'express';

/** The console's build output: apps/web/dist, beside this app (from src/ and from dist/ alike). */
export const webConsoleDir = fileURLToPath(new URL('../../../web/dist', import.meta.url));

// Paths the API answers itself; every other GET gets the single-page app's index.html.
const apiPaths = /^\/(graphql|uploads|webhooks|assets)(\/|$)/;

// The console loads nothing from elsewhere (bundled, offline); uPlot styles its elements inline.
const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Serves the web console (apps/web, built to static files) at `/`: hashed assets cached for a
 * year, index.html never cached. Null when the console has not been built.
 */
export function webConsoleModule(dir: string = webConsoleDir): DynamicModule | null {
  if (!existsSync(path.join(dir, 'index.html'))) return null;
  return ServeStaticModule.forRoot({
    rootPath: dir,
    exclude: apiPaths,
    serveStaticOptions: {
      index: false,
      setHeaders: (res: Response, file: string) => {
        for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
        res.setHeader(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    },
  });
}
