import { ActiveRulesCache, RULES_VERSION_CHECK_MS } from './active-rules-cache';
import type { ResponseRule } from './response-rule';
import { RuleRepository } from './rule.repository';

const rule = (name: string): ResponseRule => ({
  id: name,
  accountId: 'acc',
  name,
  trigger: 'message',
  matchType: 'contains',
  keywords: [name],
  responseText: name,
  mediaIds: null,
  publicReplyText: null,
  templateName: null,
  priority: 0,
  isActive: true,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

/** Another replica's view of the database: its rules and version change under this replica's cache. */
class SharedRules implements Pick<RuleRepository, 'getActiveRules' | 'getVersion'> {
  version = 1;
  rules = [rule('first')];
  reads = 0;
  versionReads = 0;

  async getActiveRules(): Promise<ResponseRule[]> {
    this.reads += 1;
    return this.rules;
  }

  async getVersion(): Promise<number> {
    this.versionReads += 1;
    return this.version;
  }
}

describe('ActiveRulesCache', () => {
  let shared: SharedRules;
  let cache: ActiveRulesCache;

  beforeEach(() => {
    shared = new SharedRules();
    cache = new ActiveRulesCache(shared as unknown as RuleRepository);
  });

  it('answers from memory between version checks', async () => {
    await cache.activeRules('acc', 0);
    await cache.activeRules('acc', RULES_VERSION_CHECK_MS - 1);
    expect(shared.reads).toBe(1);
    expect(shared.versionReads).toBe(1);
  });

  it('only reads the version when nothing changed', async () => {
    await cache.activeRules('acc', 0);
    await cache.activeRules('acc', RULES_VERSION_CHECK_MS);
    expect(shared.versionReads).toBe(2);
    expect(shared.reads).toBe(1);
  });

  it('sees another replica’s change within the check interval, well inside 5 seconds', async () => {
    expect((await cache.activeRules('acc', 0)).map((r) => r.name)).toEqual(['first']);
    shared.rules = [rule('second')];
    shared.version = 2;
    expect((await cache.activeRules('acc', 1)).map((r) => r.name)).toEqual(['first']);
    expect((await cache.activeRules('acc', RULES_VERSION_CHECK_MS)).map((r) => r.name)).toEqual(['second']);
    expect(RULES_VERSION_CHECK_MS).toBeLessThan(5000);
  });

  it('reloads at once after a local invalidation', async () => {
    await cache.activeRules('acc', 0);
    shared.rules = [rule('second')];
    cache.invalidate('acc');
    expect((await cache.activeRules('acc', 1)).map((r) => r.name)).toEqual(['second']);
  });
});
