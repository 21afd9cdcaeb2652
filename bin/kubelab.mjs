// Starts the built CLI (out/main/cli.js), building it first if it is missing or stale.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfStale, repoRoot } from './build-if-stale.mjs';

buildIfStale();
await import(pathToFileURL(join(repoRoot, 'out/main/cli.js')).href);
