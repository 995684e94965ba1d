import cliProgress from 'cli-progress';

import { type UploadProgress } from '../upload/uploader.js';
import { formatBytes } from './format.util.js';

/** An upload progress bar on stderr (only used when stderr is a terminal and --json is off). */
export function createProgressBar(stream: NodeJS.WritableStream): UploadProgress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{filename} [{bar}] {percentage}% | {sent} of {size} | {speed} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  let startedAt = 0;
  let sent = 0;
  let size = '';
  const payload = () => {
    const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
    return { sent: formatBytes(sent), size, speed: `${formatBytes(Math.round(sent / seconds))}/s` };
  };
  return {
    start(totalBytes, filename) {
      startedAt = Date.now();
      size = formatBytes(totalBytes);
      bar.start(totalBytes, 0, { filename, ...payload() });
    },
    advance(bytes) {
      sent += bytes;
      bar.increment(bytes, payload());
    },
    stop() {
      bar.stop();
    },
  };
}
