import { type PGlite, type Transaction as PGliteTransaction } from '@electric-sql/pglite';
import {
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * `pglite-prisma-adapter` with two repairs, so the embedded database keeps the promises the
 * PostgreSQL one does:
 * - its transactions swallow a failing COMMIT (the deferred weight-sum trigger fires there): the
 *   transaction is rolled back yet `$transaction` resolves as if it had committed. Here COMMIT's
 *   error reaches the caller;
 * - its `executeScript` does not await the script.
 */
export class EmbeddedAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName: string;
  private readonly inner: PrismaPGlite;

  constructor(private readonly pglite: PGlite) {
    this.inner = new PrismaPGlite(pglite);
    this.adapterName = this.inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const adapter = await this.inner.connect();
    const pglite = this.pglite;
    adapter.executeScript = async (script: string) => {
      try {
        await pglite.exec(script);
      } catch (error) {
        toDriverError(adapter, error);
      }
    };
    adapter.startTransaction = (isolationLevel?: IsolationLevel) => startTransaction(pglite, adapter, isolationLevel);
    return adapter;
  }
}

/** The adapter's own conversion of PGlite errors into Prisma's DriverAdapterError (always throws). */
function toDriverError(adapter: SqlDriverAdapter, error: unknown): never {
  (adapter as unknown as { onError(e: unknown): never }).onError(error);
  throw error;
}

function startTransaction(
  pglite: PGlite,
  adapter: SqlDriverAdapter,
  isolationLevel: IsolationLevel | undefined,
): Promise<Transaction> {
  return new Promise<Transaction>((resolve, reject) => {
    let opened = false;
    // PGlite is one session: transaction() holds it exclusively until the callback settles, then
    // sends COMMIT (or nothing after tx.rollback()). Its promise carries COMMIT's outcome.
    const outcome = pglite.transaction(async (tx: PGliteTransaction) => {
      if (isolationLevel) await tx.exec(`SET TRANSACTION ISOLATION LEVEL ${isolationLevel}`);
      const queryable = await new PrismaPGlite(tx as unknown as PGlite).connect();
      let decide!: (commit: boolean) => void;
      const decision = new Promise<boolean>((r) => (decide = r));
      opened = true;
      resolve({
        provider: 'postgres',
        adapterName: adapter.adapterName,
        options: { usePhantomQuery: true },
        queryRaw: (query) => queryable.queryRaw(query),
        executeRaw: (query) => queryable.executeRaw(query),
        commit: async () => {
          decide(true);
          await outcome.catch((error: unknown) => toDriverError(adapter, error));
        },
        rollback: async () => {
          decide(false);
          await outcome.catch(() => undefined);
        },
      });
      if (!(await decision)) await tx.rollback();
    });
    outcome.catch((error: unknown) => {
      if (!opened) reject(error);
    });
  });
}
