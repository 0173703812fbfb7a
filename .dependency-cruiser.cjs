'use strict';
// The module graph of src/ (README, "Architecture"), enforced by `npm run lint`:
//   webhooks → messaging → rules → accounts;  webhooks → accounts;
//   messaging → contacts → accounts;  messaging → templates → accounts;
//   messaging → events → accounts;  health → events;
//   every module → the shared infrastructure (common, config, crypto, database, graph-api, logging, metrics).
// A module's other modules see only its public file, index.ts.

const ABOVE_ACCOUNTS = 'contacts|templates|rules|events|messaging|webhooks|health|retention|openapi';
const FEATURES = `accounts|${ABOVE_ACCOUNTS}|lifecycle`;
const INFRASTRUCTURE = 'common|config|crypto|database|graph-api|logging|metrics';
/** Tests may reach into any module: they test its internals. */
const TESTS = '\\.spec\\.ts$';

/** A rule that `from` (modules) may not depend on any of `to` (modules): an arrow of the graph, by what it forbids. */
function mayNotUse(name, comment, from, to) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: `^src/(${from})/`, pathNot: TESTS },
    to: { path: `^src/(${to})/` },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-internals-of-other-modules',
      comment: 'Another module is used through its index.ts only; what it does not export is its own.',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: TESTS },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'root-uses-module-indexes',
      comment: 'The application root (app.module, cli.module, main, ...) assembles modules through their index.ts.',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$', pathNot: TESTS },
      to: { path: '^src/[^/]+/', pathNot: '^src/[^/]+/index\\.ts$' },
    },
    {
      name: 'no-cycles',
      comment:
        'No file depends on itself through others at run time: with index.ts files a cycle loads a module half-done.',
      severity: 'error',
      from: { path: '^src/', pathNot: TESTS },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    mayNotUse(
      'infrastructure-knows-no-feature',
      'The shared infrastructure serves every module, so it depends on none of them.',
      INFRASTRUCTURE,
      FEATURES,
    ),
    mayNotUse(
      'accounts-is-the-bottom',
      'Every feature builds on accounts, which builds on none.',
      'accounts',
      ABOVE_ACCOUNTS,
    ),
    mayNotUse(
      'rules-only-decide',
      'Rules decide a reply from a message and the account’s rules; they never reach what uses them.',
      'rules',
      'contacts|templates|messaging|webhooks|health|retention|openapi',
    ),
    mayNotUse(
      'contacts-serve-messaging',
      'Contacts are used by messaging, never the other way round.',
      'contacts',
      'templates|rules|messaging|webhooks|health|retention|openapi',
    ),
    mayNotUse(
      'templates-serve-messaging',
      'Templates are used by messaging, never the other way round.',
      'templates',
      'contacts|rules|messaging|webhooks|health|retention|openapi',
    ),
    mayNotUse(
      'events-serve-messaging',
      'Every module reports its events to the events module, which knows none of them but accounts.',
      'events',
      'contacts|templates|rules|messaging|webhooks|health|retention|openapi',
    ),
    mayNotUse(
      'messaging-is-below-webhooks',
      'Webhooks hand deliveries to messaging; messaging never calls back.',
      'messaging',
      'webhooks|health|retention|openapi',
    ),
    {
      name: 'outbox-below-operator-and-history',
      comment: 'operator/ and history/ build on what sends and stores messages; that never depends on them.',
      severity: 'error',
      from: { path: '^src/messaging/(outbox|intake|replies|persistence|text)/', pathNot: TESTS },
      to: { path: '^src/messaging/(operator|history)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.json') },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|node_modules)/' },
  },
};
