import { describeStrftimeOracle } from '../helpers/strftime-oracle.js';

// PostgreSQL's strftime() (src/db/postgres/strftime.ts) against SQLite's own as the oracle.
describeStrftimeOracle('PostgreSQL');
