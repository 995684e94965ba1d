import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The parsed GraphQL request, for POST /graphql. */
  graphql?: { query: string; variables: Record<string, unknown> };
}

export interface FakeReply {
  status?: number;
  json?: unknown;
  text?: string;
  /** Milliseconds to wait before answering. */
  delayMs?: number;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeApi {
  url: string;
  requests: RecordedRequest[];
  /** Replaces the handler (each test scripts its own answers). */
  handle(handler: FakeHandler): void;
  close(): Promise<void>;
}

/** A tiny local HTTP server standing in for the API in unit tests of the CLI's HTTP edge. */
export async function startFakeApi(
  handler: FakeHandler = () => ({ status: 500, text: 'no handler' }),
): Promise<FakeApi> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      if (req.url === '/graphql' && req.method === 'POST') {
        try {
          recorded.graphql = JSON.parse(recorded.body.toString('utf8'));
        } catch {
          // left undefined: the test sees a malformed request
        }
      }
      requests.push(recorded);
      const reply = await current(recorded);
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      res.statusCode = reply.status ?? 200;
      if (reply.json !== undefined) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(reply.json));
      } else {
        res.setHeader('content-type', 'text/html');
        res.end(reply.text ?? '');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A GraphQL error answer as the API formats it. */
export function graphqlError(
  code: string,
  message: string,
  reason = code,
  details: Record<string, unknown> = {},
): FakeReply {
  return { status: 200, json: { data: null, errors: [{ message, extensions: { code, reason, details } }] } };
}

export const graphqlData = (data: unknown): FakeReply => ({ status: 200, json: { data } });
