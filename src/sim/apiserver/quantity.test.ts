import { expect, it } from 'vitest';
import { canonicalQuantity } from './quantity';
it('writes quantities in canonical form, as resource.Quantity does', () => {
  const cases: [string | number, string][] = [['0.5', '500m'], [0.5, '500m'], ['1024Mi', '1Gi'], ['1.5Gi', '1536Mi'], ['2000', '2k'], ['100m', '100m'], ['1000m', '1'], ['1500m', '1500m'], ['128Mi', '128Mi'], ['1000Ki', '1000Ki'], ['512', '512'], ['0.5Ki', '512'], ['1e3', '1e3'], ['1.5e3', '1500'], ['12e6', '12e6'], ['0', '0'], ['1Gi', '1Gi'], ['2', '2'], [2, '2'], ['0.1', '100m'], ['1.1', '1100m'], ['100M', '100M'], ['0.000000001', '1n'], ['0.0000000001', '1n'], ['1k', '1k'], ['10240Ki', '10Mi'], ['-1', '-1'], ['3.5', '3500m'], ['20134592Ki', '20134592Ki'], ['4015520Ki', '4015520Ki']];
  for (const [i, o] of cases) expect([i, canonicalQuantity(i)]).toEqual([i, o]);
});
