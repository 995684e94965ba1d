// `node pglite-initdb.js <dataDir> <startParams JSON>`: creates an embedded database folder
// (PostgreSQL's initdb inside PGlite) and exits. Run by node directly (type stripping when run
// from source), so it imports packages only.
import { PGlite } from '@electric-sql/pglite';

const [dataDir, startParams] = process.argv.slice(2);
const pglite = await PGlite.create(dataDir, { startParams: JSON.parse(startParams) as string[] });
await pglite.close();
