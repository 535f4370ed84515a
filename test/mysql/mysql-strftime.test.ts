import { describeStrftimeOracle } from '../helpers/strftime-oracle.js';

// MariaDB's strftime() (src/db/mysql/strftime.ts) against SQLite's own as the oracle.
describeStrftimeOracle('MariaDB');
