#!/usr/bin/env node
import { Command } from 'commander';
import { registerMigrateCommand } from './migrate.js';
import { registerMigrateDataCommand } from './migrate-data.js';
import { registerServeCommand } from './serve.js';
import { registerSuperuserCommand } from './superuser.js';
import { registerTypegenCommand } from './typegen.js';

const program = new Command();
program
  .name('basalt')
  .description('Basalt: a complete backend in one process (REST + realtime API, auth, rules).')
  .version('0.1.0');
registerServeCommand(program);
registerSuperuserCommand(program);
registerMigrateCommand(program);
registerMigrateDataCommand(program);
registerTypegenCommand(program);
await program.parseAsync(process.argv);
