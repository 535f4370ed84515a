// `node --import` this file to trace the modules a process resolves (module-trace-hooks.mjs).
import { register } from 'node:module';

register('./module-trace-hooks.mjs', import.meta.url);
