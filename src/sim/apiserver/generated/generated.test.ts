import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../../..');
const swagger = join(root, '../shared/openapi/swagger-v1.32.json');

describe('generated API tables', () => {
  it.skipIf(!existsSync(swagger))('match the upstream OpenAPI document (bin/generate-api.mjs --check)', () => {
    const result = spawnSync(process.execPath, [join(root, 'bin/generate-api.mjs'), '--check', swagger], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
