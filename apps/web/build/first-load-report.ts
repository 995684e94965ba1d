import { gzipSync } from 'node:zlib';

import { type Plugin } from 'vite';

interface ChunkLike {
  type: 'chunk' | 'asset';
  fileName: string;
  isEntry?: boolean;
  imports?: string[];
  code?: string;
  source?: string | Uint8Array;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Prints what a browser downloads on first load: the entry chunk and every chunk it imports
 * statically, gzipped (lazy routes are listed apart), and fails the build above `budgetKb`.
 * Also writes the figures to `bundle-report.json` in the output folder.
 */
export function firstLoadReport(budgetKb: number): Plugin {
  return {
    name: 'fledge-first-load-report',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle) as unknown as ChunkLike[];
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      const gz = (c: ChunkLike) => gzipSync(c.code ?? c.source ?? '', { level: 9 }).byteLength;
      const firstLoad = new Set<string>();
      const visit = (name: string) => {
        if (firstLoad.has(name)) return;
        firstLoad.add(name);
        for (const imported of byName.get(name)?.imports ?? []) visit(imported);
      };
      for (const c of chunks) if (c.type === 'chunk' && c.isEntry) visit(c.fileName);
      const js = chunks.filter((c) => c.type === 'chunk');
      const initial = js.filter((c) => firstLoad.has(c.fileName)).map((c) => ({ file: c.fileName, gzipBytes: gz(c) }));
      const lazy = js.filter((c) => !firstLoad.has(c.fileName)).map((c) => ({ file: c.fileName, gzipBytes: gz(c) }));
      const total = initial.reduce((sum, c) => sum + c.gzipBytes, 0);
      const lines = [
        `first load: ${kb(total)} of gzipped JavaScript (budget ${budgetKb} KB)`,
        ...initial.map((c) => `  ${c.file}  ${kb(c.gzipBytes)}`),
        `lazy chunks (loaded by the pages that need them): ${kb(lazy.reduce((s, c) => s + c.gzipBytes, 0))}`,
        ...lazy.map((c) => `  ${c.file}  ${kb(c.gzipBytes)}`),
      ];
      console.log(`\n${lines.join('\n')}\n`);
      this.emitFile({
        type: 'asset',
        fileName: 'bundle-report.json',
        source: JSON.stringify({ budgetKb, firstLoadGzipBytes: total, initial, lazy }, null, 2),
      });
      if (total > budgetKb * 1024) this.error(`first load ${kb(total)} exceeds the ${budgetKb} KB budget`);
    },
  };
}
