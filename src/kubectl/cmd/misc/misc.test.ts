import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

describe('kubectl options and plugin', () => {
  it('lists the global flags', async () => {
    const r = await kubectlTestSession().kubectl('options');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('The following options can be passed to any command:\n\n')).toBe(true);
    expect(r.stdout).toContain("    -n, --namespace='':\n\tIf present, the namespace scope for this CLI request\n");
  });

  it('finds no plugins', async () => {
    expect(await kubectlTestSession().kubectl('plugin list')).toEqual({ code: 1, stdout: '', stderr: 'error: unable to find any kubectl plugins in your PATH\n' });
  });

  it('reports an unknown plugin subcommand', async () => {
    expect(await kubectlTestSession().kubectl('plugin foo')).toEqual({ code: 1, stdout: '', stderr: "Error: unknown command \"foo\"\nSee 'kubectl plugin -h' for help and examples\n" });
  });
});
