/**
 * Import rules from DESIGN.md ("Source layout and dependency rules"), enforced in `npm test`.
 * Each runtime folder may import only the folders its row allows, and only through their index.ts.
 */
const MODULES = ['shared', 'sim', 'kubectl', 'shell', 'labs', 'host', 'main', 'preload', 'renderer', 'web', 'cli'];

/** Which src folders each folder may import (besides itself). */
const ALLOWED = {
  shared: [],
  sim: ['shared'],
  kubectl: ['sim', 'shared'],
  shell: ['kubectl', 'shared'],
  labs: ['sim', 'kubectl', 'shell', 'shared'],
  host: ['sim', 'kubectl', 'shell', 'labs', 'shared'],
  main: ['host', 'shared'],
  preload: ['shared'],
  renderer: ['shared'],
  web: ['host', 'shared'],
  // `kubelab serve` starts the web host.
  cli: ['host', 'shared', 'web'],
};

/** Folders that run only inside the simulation or the browser: no Node built-ins. */
const NO_NODE = ['shared', 'sim', 'kubectl', 'shell', 'labs', 'renderer', 'preload'];

const forbidden = [
  {
    name: 'no-circular',
    severity: 'error',
    comment: 'No import cycles anywhere.',
    from: {},
    to: { circular: true },
  },
  ...MODULES.map((from) => ({
    name: `${from}-allowed-imports`,
    severity: 'error',
    comment: `src/${from} may import only: ${ALLOWED[from].join(', ') || 'nothing else in src'} (DESIGN.md).`,
    from: { path: `^src/${from}/` },
    to: {
      path: `^src/(?!(?:${[from, ...ALLOWED[from]].join('|')})/)[^/]+/`,
    },
  })),
  {
    name: 'index-only-across-modules',
    severity: 'error',
    comment: 'Outside a module, import only its index.ts.',
    from: { path: '^src/([^/]+)/' },
    to: {
      path: '^src/([^/]+)/.+',
      pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'],
    },
  },
  {
    name: 'no-node-builtins-in-pure-modules',
    severity: 'error',
    comment: 'The simulation, kubectl, shell, labs, shared contract and renderer do not use Node built-ins.',
    from: { path: `^src/(${NO_NODE.join('|')})/` },
    to: { dependencyTypes: ['core'] },
  },
  {
    name: 'electron-only-in-main-and-preload',
    severity: 'error',
    comment: 'Only src/main and src/preload may import electron.',
    from: { pathNot: '^src/(main|preload)/' },
    to: { path: '^electron$|node_modules/electron/' },
  },
  {
    name: 'renderer-not-to-node-libs',
    severity: 'error',
    comment: 'The renderer uses browser libraries only.',
    from: { path: '^src/renderer/' },
    to: { path: 'node_modules/(ws|electron|electron-vite)/' },
  },
];

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    exclude: { path: '(\\.test\\.tsx?|/test-helpers\\.ts)$' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};
