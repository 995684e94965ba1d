import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type ProxyDirection = 'toServer' | 'toClient';

interface Link {
  client: Socket;
  server: Socket;
  held: Record<ProxyDirection, Buffer[]>;
}

/**
 * A TCP proxy in front of a real server that can hold the bytes of either direction, to stop a
 * process under test at a chosen point of a conversation — after its request reached the server
 * but before it heard the answer, say — and then kill it there. Hand-written: Toxiproxy, the usual
 * tool, is a Go server we cannot install here, and the npm forwarders cannot hold one direction.
 * Bytes held for a connection whose other end has gone are dropped, never delivered late.
 */
export class TcpProxy {
  private readonly links = new Set<Link>();
  private readonly holding: Record<ProxyDirection, boolean> = { toServer: false, toClient: false };
  private readonly heldBytes: Record<ProxyDirection, number> = { toServer: 0, toClient: 0 };
  private readonly waiters: { direction: ProxyDirection; bytes: number; resolve: () => void }[] = [];

  private constructor(private readonly server: Server) {}

  /** Listens on a free port of 127.0.0.1 and forwards every connection to `target` (host:port). */
  static async start(target: string): Promise<TcpProxy> {
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const server = createServer((client) => proxy.accept(client, host, port));
    const proxy = new TcpProxy(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on, bytes going this way are kept instead of forwarded (counted from zero). */
  hold(direction: ProxyDirection): void {
    this.holding[direction] = true;
    this.heldBytes[direction] = 0;
  }

  /** Forwards what was held on live connections and stops holding. */
  release(): void {
    this.holding.toServer = this.holding.toClient = false;
    for (const link of this.links) {
      for (const chunk of link.held.toServer.splice(0)) link.server.write(chunk);
      for (const chunk of link.held.toClient.splice(0)) link.client.write(chunk);
    }
  }

  /** Resolves once at least `bytes` bytes going this way have been held since `hold`. */
  held(direction: ProxyDirection, bytes: number): Promise<void> {
    if (this.heldBytes[direction] >= bytes) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ direction, bytes, resolve }));
  }

  async close(): Promise<void> {
    for (const link of this.links) {
      link.client.destroy();
      link.server.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, host: string, port: number): void {
    const server = createConnection({ host, port });
    const link: Link = { client, server, held: { toServer: [], toClient: [] } };
    this.links.add(link);
    const pipe = (from: Socket, to: Socket, direction: ProxyDirection) =>
      from.on('data', (chunk: Buffer) => {
        if (!this.holding[direction]) return void to.write(chunk);
        link.held[direction].push(chunk);
        this.heldBytes[direction] += chunk.length;
        for (const waiter of [...this.waiters]) {
          if (waiter.direction === direction && this.heldBytes[direction] >= waiter.bytes) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
      });
    pipe(client, server, 'toServer');
    pipe(server, client, 'toClient');
    const drop = () => {
      this.links.delete(link);
      link.held.toServer.length = link.held.toClient.length = 0;
      client.destroy();
      server.destroy();
    };
    for (const socket of [client, server]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
  }
}
